using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Backprop.Kernels;

internal static partial class Pooling
{
    /// <summary>
    /// <see cref="MaxPlane{T}"/> for the usual 2×2 window with stride 2, no padding or dilation. Random data makes the
    /// compare-and-branch of the general loop mispredict about once per window, so here each choice is
    /// a mask and a select. The taps are combined as a tree — (x00 vs x01) and (x10 vs x11), then the
    /// right pair's winner against the left's — which picks what the row-major scan picks: a later tap
    /// replaces an earlier one only when greater or NaN, so without NaN the first maximum wins and with
    /// NaN the last NaN wins, in either grouping.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void MaxPlane2x2<T>(T* x, int width, int outputHeight, int outputWidth, T* y, int* chosen)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(float) && Avx2.IsSupported && outputWidth >= Vector256<float>.Count)
        {
            for (int oh = 0; oh < outputHeight; oh++)
            {
                int top = 2 * oh * width;
                MaxRow2x2((float*)x + top, top, width, outputWidth, (float*)y + (nint)oh * outputWidth, chosen + (nint)oh * outputWidth);
            }

            return;
        }

        for (int oh = 0; oh < outputHeight; oh++)
        {
            int top = 2 * oh * width;
            T* output = y + (nint)oh * outputWidth;
            int* positions = chosen + (nint)oh * outputWidth;
            for (int ow = 0; ow < outputWidth; ow++)
            {
                int p = top + (2 * ow);
                var upperLeft = Vector128.CreateScalarUnsafe(x[p]);
                var upperRight = Vector128.CreateScalarUnsafe(x[p + 1]);
                var lowerLeft = Vector128.CreateScalarUnsafe(x[p + width]);
                var lowerRight = Vector128.CreateScalarUnsafe(x[p + width + 1]);

                var takeUpperRight = Replaces(upperRight, upperLeft);
                var upper = Vector128.ConditionalSelect(takeUpperRight, upperRight, upperLeft);
                var takeLowerRight = Replaces(lowerRight, lowerLeft);
                var lower = Vector128.ConditionalSelect(takeLowerRight, lowerRight, lowerLeft);
                var takeLower = Replaces(lower, upper);

                // A true mask lane is all ones, so its low 32 bits read as −1 for float and double alike.
                int upperColumn = -takeUpperRight.AsInt32().ToScalar();
                int lowerColumn = -takeLowerRight.AsInt32().ToScalar();
                int takeLowerBits = takeLower.AsInt32().ToScalar();
                output[ow] = Vector128.ConditionalSelect(takeLower, lower, upper).ToScalar();
                positions[ow] = p + ((takeLowerBits & (width + lowerColumn)) | (~takeLowerBits & upperColumn));
            }
        }
    }

    /// <summary>
    /// One output row of <see cref="MaxPlane2x2{T}"/> for float, eight windows per step: the same masks and selects on
    /// eight lanes, so the same values and positions. Even and odd columns are split with a shuffle that leaves the
    /// windows in the order 0, 1, 4, 5, 2, 3, 6, 7, put back by one permute. The last step is shifted back to end at
    /// the row's end and recomputes its overlap identically.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void MaxRow2x2(float* upperRow, int top, int width, int outputWidth, float* output, int* positions)
    {
        const byte Even = 0b10_00_10_00, Odd = 0b11_01_11_01, Unscramble = 0b11_01_10_00;
        for (int start = 0; start < outputWidth; start += Vector256<float>.Count)
        {
            int ow = Math.Min(start, outputWidth - Vector256<float>.Count);
            float* upper = upperRow + (2 * ow), lower = upper + width;
            Vector256<float> upper0 = Avx.LoadVector256(upper), upper1 = Avx.LoadVector256(upper + 8);
            Vector256<float> lower0 = Avx.LoadVector256(lower), lower1 = Avx.LoadVector256(lower + 8);
            var upperLeft = Avx.Shuffle(upper0, upper1, Even);
            var upperRight = Avx.Shuffle(upper0, upper1, Odd);
            var lowerLeft = Avx.Shuffle(lower0, lower1, Even);
            var lowerRight = Avx.Shuffle(lower0, lower1, Odd);

            var takeUpperRight = Replaces(upperRight, upperLeft);
            var upperWinner = Vector256.ConditionalSelect(takeUpperRight, upperRight, upperLeft);
            var takeLowerRight = Replaces(lowerRight, lowerLeft);
            var lowerWinner = Vector256.ConditionalSelect(takeLowerRight, lowerRight, lowerLeft);
            var takeLower = Replaces(lowerWinner, upperWinner);
            var maximum = Vector256.ConditionalSelect(takeLower, lowerWinner, upperWinner);

            Avx.Store(output + ow, Avx2.Permute4x64(maximum.AsDouble(), Unscramble).AsSingle());
            // A true mask lane is −1 as an integer, so negating it gives the column offset 1.
            var upperColumn = -Avx2.Permute4x64(takeUpperRight.AsDouble(), Unscramble).AsInt32();
            var lowerColumn = -Avx2.Permute4x64(takeLowerRight.AsDouble(), Unscramble).AsInt32();
            var lowerChosen = Avx2.Permute4x64(takeLower.AsDouble(), Unscramble).AsInt32();
            var windowStart = Vector256.Create(top + (2 * ow)) + (Vector256<int>.Indices * 2);
            var offset = Vector256.ConditionalSelect(lowerChosen, Vector256.Create(width) + lowerColumn, upperColumn);
            Avx.Store(positions + ow, windowStart + offset);
        }
    }

    /// <summary>The scan's rule on eight lanes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Replaces(Vector256<float> later, Vector256<float> earlier) =>
        Vector256.GreaterThan(later, earlier) | ~Vector256.Equals(later, later);

    /// <summary>The scan's rule: a later tap replaces the running maximum when greater, or when it is NaN.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<T> Replaces<T>(Vector128<T> later, Vector128<T> earlier)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Vector128.GreaterThan(later, earlier) | ~Vector128.Equals(later, later);
}
