using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Backprop.Kernels;

internal static partial class Pooling
{
    /// <summary>
    /// <see cref="MaxPlaneInside{T}"/> for the usual 2×2 window with stride 2. Random data makes the
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

    /// <summary>The scan's rule: a later tap replaces the running maximum when greater, or when it is NaN.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<T> Replaces<T>(Vector128<T> later, Vector128<T> earlier)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Vector128.GreaterThan(later, earlier) | ~Vector128.Equals(later, later);
}
