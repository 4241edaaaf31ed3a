using System.Buffers;
using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;

namespace Backprop.Kernels;

/// <summary>
/// Batched 2-D convolution (NCHW, weight <c>[Cout, C, kh, kw]</c>) as one <see cref="Im2ColKernels.Im2Col{T}"/>
/// and one <see cref="Gemm"/> per sample, forward and backward.
/// </summary>
/// <remarks>
/// Samples may run on several cores, but every result is bit-identical whatever the thread count:
/// each sample's output and input gradient are computed by one worker in a fixed order, and the
/// weight and bias gradients are per-sample partials added in sample order. Column buffers come from
/// <see cref="ArrayPool{T}"/>, one per worker, so steady-state training does not allocate them.
/// </remarks>
internal static class Convolution2dKernels
{
    /// <summary>
    /// Samples whose weight-gradient partials are held at once: bounds that memory to this many
    /// weight tensors while leaving enough samples to keep the cores busy.
    /// </summary>
    private const int WeightGradientWave = 8;

    /// <summary><c>output[n] = weight · Im2Col(input[n]) + bias</c> (bias broadcast over each output plane).</summary>
    /// <param name="input"><c>[N, C, H, W]</c>.</param>
    /// <param name="batch">N.</param>
    /// <param name="channels">C.</param>
    /// <param name="weight"><c>[Cout, C·kh·kw]</c>.</param>
    /// <param name="outChannels">Cout.</param>
    /// <param name="bias"><c>[Cout]</c>, or null.</param>
    /// <param name="g">The window geometry of one plane.</param>
    /// <param name="output">Receives <c>[N, Cout, OH, OW]</c>.</param>
    public static void Forward<T>(T[] input, int batch, int channels, T[] weight, int outChannels, T[]? bias, ConvGeometry g, T[] output)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var shape = new Shape(batch, channels, outChannels, g);
        ForEachSample<T>(shape, (n, columns) =>
        {
            Im2ColKernels.Im2Col(input.AsSpan(n * shape.InputSample, shape.InputSample), channels, g, columns);
            var outputSample = output.AsSpan(n * shape.OutputSample, shape.OutputSample);
            if (bias is not null)
            {
                for (int c = 0; c < outChannels; c++)
                {
                    outputSample.Slice(c * shape.Plane, shape.Plane).Fill(bias[c]);
                }
            }

            Multiply<T>(weight.AsSpan(0, shape.WeightLength), false, columns, false, outputSample, outChannels, shape.Plane, shape.ColumnRows, accumulate: bias is not null);
        });
    }

    /// <summary><c>inputGradient[n] += Col2Im(weightᵀ · outputGradient[n])</c>.</summary>
    /// <param name="outputGradient"><c>[N, Cout, OH, OW]</c>.</param>
    /// <param name="batch">N.</param>
    /// <param name="channels">C.</param>
    /// <param name="weight"><c>[Cout, C·kh·kw]</c>.</param>
    /// <param name="outChannels">Cout.</param>
    /// <param name="g">The geometry of the forward pass.</param>
    /// <param name="inputGradient"><c>[N, C, H, W]</c>; accumulated into (<c>+=</c>).</param>
    public static void BackwardInput<T>(T[] outputGradient, int batch, int channels, T[] weight, int outChannels, ConvGeometry g, T[] inputGradient)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var shape = new Shape(batch, channels, outChannels, g);
        ForEachSample<T>(shape, (n, columns) =>
        {
            Multiply<T>(
                weight.AsSpan(0, shape.WeightLength), true, outputGradient.AsSpan(n * shape.OutputSample, shape.OutputSample), false,
                columns, shape.ColumnRows, shape.Plane, outChannels, accumulate: false);
            Im2ColKernels.Col2Im<T>(columns, channels, g, inputGradient.AsSpan(n * shape.InputSample, shape.InputSample));
        });
    }

    /// <summary>
    /// <c>weightGradient = Σₙ outputGradient[n] · Im2Col(input[n])ᵀ</c>, each sample's product
    /// formed on its own and added in sample order.
    /// </summary>
    /// <param name="outputGradient"><c>[N, Cout, OH, OW]</c>.</param>
    /// <param name="input"><c>[N, C, H, W]</c>.</param>
    /// <param name="batch">N.</param>
    /// <param name="channels">C.</param>
    /// <param name="outChannels">Cout.</param>
    /// <param name="g">The geometry of the forward pass.</param>
    /// <param name="weightGradient">Receives <c>[Cout, C·kh·kw]</c> (overwritten).</param>
    public static void BackwardWeight<T>(T[] outputGradient, T[] input, int batch, int channels, int outChannels, ConvGeometry g, T[] weightGradient)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var shape = new Shape(batch, channels, outChannels, g);
        var total = weightGradient.AsSpan(0, shape.WeightLength);
        total.Clear();
        int waveSize = Math.Min(batch, WeightGradientWave);
        T[] partials = ArrayPool<T>.Shared.Rent(waveSize * shape.WeightLength);
        try
        {
            for (int first = 0; first < batch; first += waveSize)
            {
                int count = Math.Min(waveSize, batch - first);
                ForEachSample<T>(shape with { Batch = count }, (s, columns) =>
                {
                    int n = first + s;
                    Im2ColKernels.Im2Col(input.AsSpan(n * shape.InputSample, shape.InputSample), channels, g, columns);
                    Multiply<T>(
                        outputGradient.AsSpan(n * shape.OutputSample, shape.OutputSample), false, columns, true,
                        partials.AsSpan(s * shape.WeightLength, shape.WeightLength), outChannels, shape.ColumnRows, shape.Plane, accumulate: false);
                });
                for (int s = 0; s < count; s++)
                {
                    TensorPrimitives.Add(total, partials.AsSpan(s * shape.WeightLength, shape.WeightLength), total);
                }
            }
        }
        finally
        {
            ArrayPool<T>.Shared.Return(partials);
        }
    }

    /// <summary><c>biasGradient[c] = Σₙ Σ over the plane of outputGradient[n, c]</c>, summed in sample order.</summary>
    /// <param name="outputGradient"><c>[N, Cout, OH·OW]</c>.</param>
    /// <param name="batch">N.</param>
    /// <param name="outChannels">Cout.</param>
    /// <param name="plane">OH·OW.</param>
    /// <param name="biasGradient">Receives <c>[Cout]</c> (overwritten).</param>
    public static void BackwardBias<T>(ReadOnlySpan<T> outputGradient, int batch, int outChannels, int plane, Span<T> biasGradient)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        KernelChecks.RequireLength(outputGradient.Length, nameof(outputGradient), "[N={0}, Cout={1}, OH·OW={2}]", batch, outChannels, plane);
        KernelChecks.RequireLength(biasGradient.Length, nameof(biasGradient), "[Cout={0}]", outChannels);
        biasGradient.Clear();
        for (int n = 0, row = 0; n < batch; n++)
        {
            for (int c = 0; c < outChannels; c++, row += plane)
            {
                biasGradient[c] += TensorPrimitives.Sum(outputGradient.Slice(row, plane));
            }
        }
    }

    /// <summary>
    /// Runs <paramref name="body"/> for every sample with a column buffer of <c>[C·kh·kw, OH·OW]</c>
    /// owned by the running worker; on several cores only when the batch is large enough to pay for it.
    /// </summary>
    private static void ForEachSample<T>(Shape shape, Action<int, Span<T>> body)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int columnsLength = shape.ColumnRows * shape.Plane;
        if (!PlaneParallel.IsWorthIt(shape.Batch, (long)shape.Batch * columnsLength))
        {
            T[] columns = ArrayPool<T>.Shared.Rent(columnsLength);
            try
            {
                for (int n = 0; n < shape.Batch; n++)
                {
                    body(n, columns.AsSpan(0, columnsLength));
                }
            }
            finally
            {
                ArrayPool<T>.Shared.Return(columns);
            }

            return;
        }

        Parallel.For(
            0,
            shape.Batch,
            new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount },
            () => ArrayPool<T>.Shared.Rent(columnsLength),
            (n, _, columns) =>
            {
                body(n, columns.AsSpan(0, columnsLength));
                return columns;
            },
            columns => ArrayPool<T>.Shared.Return(columns));
    }

    private static void Multiply<T>(ReadOnlySpan<T> a, bool transposeA, ReadOnlySpan<T> b, bool transposeB, Span<T> c, int m, int n, int k, bool accumulate)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(float))
        {
            Gemm.Multiply(
                MemoryMarshal.Cast<T, float>(a), transposeA, MemoryMarshal.Cast<T, float>(b), transposeB, MemoryMarshal.Cast<T, float>(c),
                m, n, k, accumulate);
        }
        else if (typeof(T) == typeof(double))
        {
            Gemm.Multiply(
                MemoryMarshal.Cast<T, double>(a), transposeA, MemoryMarshal.Cast<T, double>(b), transposeB, MemoryMarshal.Cast<T, double>(c),
                m, n, k, accumulate);
        }
        else
        {
            throw new NotSupportedException($"Convolution supports float and double, not {typeof(T).Name}.");
        }
    }

    /// <summary>The sizes every per-sample step needs, computed once per call.</summary>
    private readonly record struct Shape
    {
        public Shape(int batch, int channels, int outChannels, ConvGeometry g)
        {
            KernelChecks.RequirePositive(batch, nameof(batch));
            KernelChecks.RequirePositive(outChannels, nameof(outChannels));
            Batch = batch;
            ColumnRows = channels * g.KernelHeight * g.KernelWidth;
            Plane = g.OutputPlaneSize;
            InputSample = channels * g.InputPlaneSize;
            OutputSample = outChannels * Plane;
            WeightLength = outChannels * ColumnRows;
        }

        public int Batch { get; init; }

        public int ColumnRows { get; }

        public int Plane { get; }

        public int InputSample { get; }

        public int OutputSample { get; }

        public int WeightLength { get; }
    }
}
