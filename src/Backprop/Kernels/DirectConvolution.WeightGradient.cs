using System.Buffers;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Backprop.Kernels;

internal static unsafe partial class DirectConvolution
{
    /// <summary>
    /// <c>weightGradient[o, c, u, v] = Σ_{n,i,j} outputGradient[n, o, i, j] · x[n, c, i + u − p, j + v − p]</c> (overwritten)
    /// for a 3×3 kernel.
    /// </summary>
    /// <param name="outputGradient"><c>[N, Cout, OH, OW]</c>.</param>
    /// <param name="input"><c>[N, C, H, W]</c>.</param>
    /// <param name="batch">N.</param>
    /// <param name="channels">C.</param>
    /// <param name="outChannels">Cout.</param>
    /// <param name="g">The geometry of the forward pass; <see cref="FitsWeightGradient"/> must hold.</param>
    /// <param name="weightGradient">Receives <c>[Cout, C, 3, 3]</c>.</param>
    public static void BackwardWeight3x3<T>(ReadOnlySpan<T> outputGradient, ReadOnlySpan<T> input, int batch, int channels, int outChannels, ConvGeometry g, Span<T> weightGradient)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var padded = new PaddedPlanes(channels, g);
        int inputSample = channels * g.InputPlaneSize, plane = g.OutputPlaneSize;
        KernelChecks.RequireLength(outputGradient.Length, nameof(outputGradient), "[N={0}, Cout={1}, OH·OW={2}]", batch, outChannels, plane);
        KernelChecks.RequireLength(input.Length, nameof(input), "[N={0}, C={1}, H·W={2}]", batch, channels, g.InputPlaneSize);
        KernelChecks.RequireLength(weightGradient.Length, nameof(weightGradient), "[Cout={0}, C={1}, kh·kw={2}]", outChannels, channels, 9);
        T[] samples = ArrayPool<T>.Shared.Rent(batch * padded.SampleLength);
        try
        {
            fixed (T* inputPointer = input)
            fixed (T* paddedPointer = samples)
            fixed (T* gradientPointer = outputGradient)
            fixed (T* weightGradientPointer = weightGradient)
            {
                nint x = (nint)inputPointer, xp = (nint)paddedPointer, gy = (nint)gradientPointer, gw = (nint)weightGradientPointer;
                PlaneParallel.Run(batch, (long)batch * padded.SampleLength, n =>
                    padded.Fill((T*)x + (nint)n * inputSample, (T*)xp + (nint)n * padded.SampleLength));
                long work = (long)batch * outChannels * channels * plane * 9;
                PlaneParallel.Run(outChannels, work, o =>
                {
                    for (int c = 0; c < channels; c++)
                    {
                        WeightGradient3x3((T*)gy + (nint)o * plane, outChannels * plane, (T*)xp + (nint)c * padded.PlaneLength, padded.SampleLength,
                            batch, padded.Width, g, (T*)gw + ((nint)o * channels + c) * 9);
                    }
                });
            }
        }
        finally
        {
            ArrayPool<T>.Shared.Return(samples);
        }
    }

    /// <summary>
    /// The nine sums <c>Σ_{n,i,j} gy[n, i, j] · x[n, i + u, j + v]</c> over padded planes, one vector accumulator per
    /// tap, summed across lanes at the end. A row's last vector is shifted back to end at the row's end, and its lanes
    /// already counted are masked to zero in both factors (a zero times an infinite input would be NaN). Rolling down
    /// the input rows instead, to load each shifted input vector once for three output rows, measured slower.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void WeightGradient3x3<T>(T* gy, int gradientSampleStride, T* x, int inputSampleStride, int batch, int paddedWidth, ConvGeometry g, T* result)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int width = g.OutputWidth, lanes = Vector256<T>.Count, full = width - width % lanes;

        // Lane i of the shifted last vector is column width − lanes + i; columns below `full` were counted already.
        var fresh = Vector256.GreaterThanOrEqual(Vector256<T>.Indices, Vector256.Create(T.CreateTruncating(full - (width - lanes))));
        Vector256<T> a00 = default, a01 = default, a02 = default, a10 = default, a11 = default, a12 = default;
        Vector256<T> a20 = default, a21 = default, a22 = default;
        for (int n = 0; n < batch; n++)
        {
            T* gPlane = gy + (nint)n * gradientSampleStride;
            T* xPlane = x + (nint)n * inputSampleStride;
            for (int i = 0; i < g.OutputHeight; i++)
            {
                T* gRow = gPlane + (nint)i * width;
                T* x0 = xPlane + (nint)i * paddedWidth, x1 = x0 + paddedWidth, x2 = x1 + paddedWidth;
                for (int j = 0; j < full; j += lanes)
                {
                    var d = Vector256.Load(gRow + j);
                    a00 = Fma(d, Vector256.Load(x0 + j), a00); a01 = Fma(d, Vector256.Load(x0 + j + 1), a01); a02 = Fma(d, Vector256.Load(x0 + j + 2), a02);
                    a10 = Fma(d, Vector256.Load(x1 + j), a10); a11 = Fma(d, Vector256.Load(x1 + j + 1), a11); a12 = Fma(d, Vector256.Load(x1 + j + 2), a12);
                    a20 = Fma(d, Vector256.Load(x2 + j), a20); a21 = Fma(d, Vector256.Load(x2 + j + 1), a21); a22 = Fma(d, Vector256.Load(x2 + j + 2), a22);
                }

                if (full < width)
                {
                    int j = width - lanes;
                    var d = Vector256.Load(gRow + j) & fresh;
                    a00 = Fma(d, Vector256.Load(x0 + j) & fresh, a00); a01 = Fma(d, Vector256.Load(x0 + j + 1) & fresh, a01); a02 = Fma(d, Vector256.Load(x0 + j + 2) & fresh, a02);
                    a10 = Fma(d, Vector256.Load(x1 + j) & fresh, a10); a11 = Fma(d, Vector256.Load(x1 + j + 1) & fresh, a11); a12 = Fma(d, Vector256.Load(x1 + j + 2) & fresh, a12);
                    a20 = Fma(d, Vector256.Load(x2 + j) & fresh, a20); a21 = Fma(d, Vector256.Load(x2 + j + 1) & fresh, a21); a22 = Fma(d, Vector256.Load(x2 + j + 2) & fresh, a22);
                }
            }
        }

        result[0] = Vector256.Sum(a00); result[1] = Vector256.Sum(a01); result[2] = Vector256.Sum(a02);
        result[3] = Vector256.Sum(a10); result[4] = Vector256.Sum(a11); result[5] = Vector256.Sum(a12);
        result[6] = Vector256.Sum(a20); result[7] = Vector256.Sum(a21); result[8] = Vector256.Sum(a22);
    }
}
