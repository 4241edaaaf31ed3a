using System.Buffers;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Backprop.Kernels;

/// <summary>
/// Convolution with stride 1 and no dilation computed straight from a zero-padded copy of each sample, without
/// unfolding windows into columns: each output row is a sum of shifted input rows times broadcast weights,
/// vectorised along the row. The input gradient is the same computation on the output gradient with the kernel
/// flipped and transposed (a "full" convolution), and the weight gradient of a 3×3 kernel is nine dot products
/// (DirectConvolution.WeightGradient.cs).
/// </summary>
/// <remarks>
/// For the small layers of an MNIST network the unfolded columns are nine or more times the input, larger than
/// the caches, and the GEMM over them is thin (8 or 16 rows), so the columns' traffic, not the arithmetic, set the
/// time. Every output (and every weight-gradient element) is one fixed chain of fused multiply-adds, the same on any
/// number of threads: samples are split over workers for the forward pass, output channels for the weight gradient.
/// </remarks>
internal static unsafe partial class DirectConvolution
{
    /// <summary>
    /// Whether <see cref="Forward"/> applies: stride 1, no dilation, padding below the kernel (so the flipped kernel's
    /// padding in <see cref="BackwardInput"/> is not negative), rows at least a vector wide, output channels in whole
    /// blocks of four, vector hardware, and few enough weights that the GEMM path would not be faster.
    /// </summary>
    public static bool Fits<T>(int channels, int outChannels, ConvGeometry g)
        where T : unmanaged =>
        Vector256.IsHardwareAccelerated && Vector256<T>.IsSupported
        && g.StrideH == 1 && g.StrideW == 1 && g.DilationH == 1 && g.DilationW == 1
        && g.PadH < g.KernelHeight && g.PadW < g.KernelWidth
        && g.OutputWidth >= Vector256<T>.Count
        && outChannels % 4 == 0
        && (long)channels * g.KernelHeight * g.KernelWidth * outChannels <= MaximumWeights;

    /// <summary>Whether <see cref="BackwardInput"/> applies: as <see cref="Fits"/>, with the input channels in blocks of four.</summary>
    public static bool FitsInputGradient<T>(int channels, int outChannels, ConvGeometry g)
        where T : unmanaged =>
        Fits<T>(channels, outChannels, g) && channels % 4 == 0;

    /// <summary>Whether <see cref="BackwardWeight3x3"/> applies: as <see cref="Fits"/> with a 3×3 kernel.</summary>
    public static bool FitsWeightGradient<T>(int channels, int outChannels, ConvGeometry g)
        where T : unmanaged =>
        Fits<T>(channels, outChannels, g) && g.KernelHeight == 3 && g.KernelWidth == 3;

    /// <summary>
    /// The most weights (C·kh·kw·Cout) the direct kernels take: Conv2d(8, 16, 3) (1 152 weights) is much faster
    /// direct, while at Conv2d(16, 32, 3) (4 608) the GEMM has caught up.
    /// </summary>
    private const int MaximumWeights = 2048;

    /// <summary><c>output[n, o] = bias[o] + Σ_{c,u,v} weight[o, c, u, v] · x[n, c, i + u − p, j + v − p]</c> (overwritten).</summary>
    /// <param name="input"><c>[N, C, H, W]</c>.</param>
    /// <param name="batch">N.</param>
    /// <param name="channels">C.</param>
    /// <param name="weight"><c>[Cout, C, kh, kw]</c>.</param>
    /// <param name="outChannels">Cout.</param>
    /// <param name="bias"><c>[Cout]</c>, or null.</param>
    /// <param name="g">The geometry; <see cref="Fits"/> must hold.</param>
    /// <param name="output">Receives <c>[N, Cout, OH, OW]</c>.</param>
    public static void Forward<T>(ReadOnlySpan<T> input, int batch, int channels, ReadOnlySpan<T> weight, int outChannels, ReadOnlySpan<T> bias, ConvGeometry g, Span<T> output)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var padded = new PaddedPlanes(channels, g);
        int inputSample = channels * g.InputPlaneSize, outputSample = outChannels * g.OutputPlaneSize;
        KernelChecks.RequireLength(input.Length, nameof(input), "[N={0}, C={1}, H·W={2}]", batch, channels, g.InputPlaneSize);
        KernelChecks.RequireLength(weight.Length, nameof(weight), "[Cout={0}, C={1}, kh·kw={2}]", outChannels, channels, g.KernelHeight * g.KernelWidth);
        KernelChecks.RequireLength(output.Length, nameof(output), "[N={0}, Cout={1}, OH·OW={2}]", batch, outChannels, g.OutputPlaneSize);
        if (!bias.IsEmpty) KernelChecks.RequireLength(bias.Length, nameof(bias), "[Cout={0}]", outChannels);
        fixed (T* inputPointer = input)
        fixed (T* weightPointer = weight)
        fixed (T* biasPointer = bias)
        fixed (T* outputPointer = output)
        {
            nint x = (nint)inputPointer, w = (nint)weightPointer, b = (nint)biasPointer, y = (nint)outputPointer;
            long work = (long)batch * outputSample * channels * g.KernelHeight * g.KernelWidth;
            PlaneParallel.RunWithScratch<T>(batch, work, padded.SampleLength, (n, scratch) =>
            {
                fixed (T* sample = scratch)
                {
                    padded.Fill((T*)x + (nint)n * inputSample, sample);
                    ConvolveSample(sample, padded, (T*)w, outChannels, (T*)b, g, (T*)y + (nint)n * outputSample);
                }
            });
        }
    }

    /// <summary>
    /// <c>inputGradient[n] = Σ_o outputGradient[n, o] ⋆ flip(weight[o])</c> (overwritten): the forward pass of a
    /// convolution with the kernel rotated 180°, input and output channels swapped, and padding k − 1 − p.
    /// </summary>
    /// <param name="outputGradient"><c>[N, Cout, OH, OW]</c>.</param>
    /// <param name="batch">N.</param>
    /// <param name="channels">C.</param>
    /// <param name="weight"><c>[Cout, C, kh, kw]</c>.</param>
    /// <param name="outChannels">Cout.</param>
    /// <param name="g">The geometry of the forward pass; <see cref="Fits"/> must hold.</param>
    /// <param name="inputGradient">Receives <c>[N, C, H, W]</c>.</param>
    public static void BackwardInput<T>(ReadOnlySpan<T> outputGradient, int batch, int channels, ReadOnlySpan<T> weight, int outChannels, ConvGeometry g, Span<T> inputGradient)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int kh = g.KernelHeight, kw = g.KernelWidth;
        var full = ConvGeometry.Create(g.OutputHeight, g.OutputWidth, kh, kw, padH: kh - 1 - g.PadH, padW: kw - 1 - g.PadW);
        KernelChecks.RequireLength(weight.Length, nameof(weight), "[Cout={0}, C={1}, kh·kw={2}]", outChannels, channels, kh * kw);
        // Pooled rather than allocated: Conv2d(8, 16)'s 1 152 weights would otherwise be 4.6 KB of garbage every step.
        T[]? rented = weight.Length > 1024 ? ArrayPool<T>.Shared.Rent(weight.Length) : null;
        Span<T> flipped = rented is null ? stackalloc T[weight.Length] : rented.AsSpan(0, weight.Length);
        try
        {
            for (int o = 0; o < outChannels; o++)
                for (int c = 0; c < channels; c++)
                    for (int u = 0; u < kh; u++)
                        for (int v = 0; v < kw; v++)
                            flipped[((c * outChannels + o) * kh + kh - 1 - u) * kw + kw - 1 - v] = weight[((o * channels + c) * kh + u) * kw + v];

            Forward<T>(outputGradient, batch, outChannels, flipped, channels, [], full, inputGradient);
        }
        finally
        {
            if (rented is not null) ArrayPool<T>.Shared.Return(rented);
        }
    }

    /// <summary>One sample: every output channel, in blocks of four sharing each input load.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ConvolveSample<T>(T* padded, PaddedPlanes layout, T* weight, int outChannels, T* bias, ConvGeometry g, T* output)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int taps = layout.Channels * g.KernelHeight * g.KernelWidth, plane = g.OutputPlaneSize;
        for (int o = 0; o < outChannels; o += 4)
        {
            T* w = weight + (nint)o * taps;
            var block = new Block<T>(w, w + taps, w + 2 * (nint)taps, w + 3 * (nint)taps,
                bias == null ? default : new Quad<T>(bias[o], bias[o + 1], bias[o + 2], bias[o + 3]));
            T* y = output + (nint)o * plane;
            for (int oh = 0; oh < g.OutputHeight; oh++)
            {
                ConvolveRow(padded + (nint)oh * layout.Width, layout, g, block, y + (nint)oh * g.OutputWidth, plane);
            }
        }
    }

    /// <summary>
    /// One output row of four channels, in vectors; the last vector is shifted back to end at the row's end, and its
    /// overlap recomputes the same values. Vectors go in pairs, so each broadcast weight feeds two multiply-adds.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void ConvolveRow<T>(T* top, PaddedPlanes layout, ConvGeometry g, Block<T> block, T* y, int plane)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int width = g.OutputWidth, lanes = Vector256<T>.Count;
        for (int start = 0; start < width; start += 2 * lanes)
        {
            int first = Math.Min(start, width - lanes);
            if (start + lanes >= width)
            {
                ConvolveVector(top + first, layout, g, block, y + first, plane);
                break;
            }

            int second = Math.Min(start + lanes, width - lanes);
            ConvolveVectorPair(top + first, second - first, layout, g, block, y + first, plane);
        }
    }

    /// <summary>Four channels' outputs at one vector of columns: one fused multiply-add chain per lane, bias first, taps in (c, u, v) order.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void ConvolveVector<T>(T* top, PaddedPlanes layout, ConvGeometry g, Block<T> block, T* y, int plane)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int kh = g.KernelHeight, kw = g.KernelWidth;
        Vector256<T> a0 = Vector256.Create(block.Bias.A), a1 = Vector256.Create(block.Bias.B);
        Vector256<T> a2 = Vector256.Create(block.Bias.C), a3 = Vector256.Create(block.Bias.D);
        int t = 0;
        for (int c = 0; c < layout.Channels; c++)
            for (int u = 0; u < kh; u++)
            {
                T* row = top + (nint)c * layout.PlaneLength + (nint)u * layout.Width;
                for (int v = 0; v < kw; v++, t++)
                {
                    var x = Vector256.Load(row + v);
                    a0 = Fma(Vector256.Create(block.W0[t]), x, a0);
                    a1 = Fma(Vector256.Create(block.W1[t]), x, a1);
                    a2 = Fma(Vector256.Create(block.W2[t]), x, a2);
                    a3 = Fma(Vector256.Create(block.W3[t]), x, a3);
                }
            }

        a0.Store(y);
        a1.Store(y + plane);
        a2.Store(y + 2 * (nint)plane);
        a3.Store(y + 3 * (nint)plane);
    }

    /// <summary>As <see cref="ConvolveVector"/> at two vectors of columns <paramref name="distance"/> apart, with the same chain per lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void ConvolveVectorPair<T>(T* top, int distance, PaddedPlanes layout, ConvGeometry g, Block<T> block, T* y, int plane)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int kh = g.KernelHeight, kw = g.KernelWidth;
        Vector256<T> a0 = Vector256.Create(block.Bias.A), a1 = Vector256.Create(block.Bias.B);
        Vector256<T> a2 = Vector256.Create(block.Bias.C), a3 = Vector256.Create(block.Bias.D);
        Vector256<T> b0 = a0, b1 = a1, b2 = a2, b3 = a3;
        int t = 0;
        for (int c = 0; c < layout.Channels; c++)
            for (int u = 0; u < kh; u++)
            {
                T* row = top + (nint)c * layout.PlaneLength + (nint)u * layout.Width;
                for (int v = 0; v < kw; v++, t++)
                {
                    var x = Vector256.Load(row + v);
                    var z = Vector256.Load(row + distance + v);
                    var w = Vector256.Create(block.W0[t]);
                    a0 = Fma(w, x, a0);
                    b0 = Fma(w, z, b0);
                    w = Vector256.Create(block.W1[t]);
                    a1 = Fma(w, x, a1);
                    b1 = Fma(w, z, b1);
                    w = Vector256.Create(block.W2[t]);
                    a2 = Fma(w, x, a2);
                    b2 = Fma(w, z, b2);
                    w = Vector256.Create(block.W3[t]);
                    a3 = Fma(w, x, a3);
                    b3 = Fma(w, z, b3);
                }
            }

        a0.Store(y);
        a1.Store(y + plane);
        a2.Store(y + 2 * (nint)plane);
        a3.Store(y + 3 * (nint)plane);
        b0.Store(y + distance);
        b1.Store(y + plane + distance);
        b2.Store(y + 2 * (nint)plane + distance);
        b3.Store(y + 3 * (nint)plane + distance);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<T> Fma<T>(Vector256<T> x, Vector256<T> y, Vector256<T> sum)
        where T : unmanaged
    {
        if (typeof(T) == typeof(float)) return Vector256.FusedMultiplyAdd(x.AsSingle(), y.AsSingle(), sum.AsSingle()).As<float, T>();
        return Vector256.FusedMultiplyAdd(x.AsDouble(), y.AsDouble(), sum.AsDouble()).As<double, T>();
    }

    /// <summary>The layout of one sample's zero-padded planes, <c>[C, H + 2pH, W + 2pW]</c>.</summary>
    private readonly struct PaddedPlanes(int channels, ConvGeometry g)
    {
        public int Channels { get; } = channels;

        public int Height { get; } = g.InputHeight + 2 * g.PadH;

        public int Width { get; } = g.InputWidth + 2 * g.PadW;

        public int PlaneLength => Height * Width;

        public int SampleLength => Channels * PlaneLength;

        private ConvGeometry Geometry { get; } = g;

        /// <summary>Copies one sample <c>[C, H, W]</c> into the middle of its padded planes, zeroing the border.</summary>
        public void Fill<T>(T* sample, T* target)
            where T : unmanaged
        {
            var g = Geometry;
            new Span<T>(target, SampleLength).Clear();
            for (int c = 0; c < Channels; c++)
                for (int i = 0; i < g.InputHeight; i++)
                {
                    new ReadOnlySpan<T>(sample + ((nint)c * g.InputHeight + i) * g.InputWidth, g.InputWidth)
                        .CopyTo(new Span<T>(target + (nint)c * PlaneLength + (nint)(i + g.PadH) * Width + g.PadW, g.InputWidth));
                }
        }
    }

    /// <summary>Four consecutive output channels' weight rows and biases.</summary>
    private readonly struct Block<T>(T* w0, T* w1, T* w2, T* w3, Quad<T> bias)
        where T : unmanaged
    {
        public T* W0 { get; } = w0;

        public T* W1 { get; } = w1;

        public T* W2 { get; } = w2;

        public T* W3 { get; } = w3;

        public Quad<T> Bias { get; } = bias;
    }

    private readonly record struct Quad<T>(T A, T B, T C, T D);
}
