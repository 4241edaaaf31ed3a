using System.Buffers;
using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;

namespace Backprop.Kernels;

/// <summary>
/// Batched 2-D convolution (NCHW, weight <c>[Cout, C, kh, kw]</c>) as one large GEMM per pass: the
/// columns of every sample are laid side by side, <c>[C·kh·kw, N·OH·OW]</c>, so the forward pass is
/// <c>W · columns</c>, the weight gradient <c>g · columnsᵀ</c> and the column gradient <c>Wᵀ · g</c>. Small stride-1
/// layers that <see cref="DirectConvolution"/> fits skip the columns and run there.
/// </summary>
/// <remarks>
/// One GEMM per pass rather than one per sample: per-sample products are tiny (8×9 by 9×784 for the
/// first layer of a small MNIST network) and spend their time on call and packing overhead, and their
/// weight-gradient partials had to be added in a fixed order by hand. Here the GEMM's own fixed
/// reduction order keeps results bit-identical whatever the number of threads, and per-sample work
/// (Im2Col, Col2Im, layout copies) writes disjoint memory. Buffers come from <see cref="ArrayPool{T}"/>.
/// </remarks>
internal static class Convolution2dKernels
{
    /// <summary><c>output[n] = weight · Im2Col(input[n]) + bias</c> (bias broadcast over each output plane).</summary>
    /// <param name="input"><c>[N, C, H, W]</c>.</param>
    /// <param name="batch">N.</param>
    /// <param name="channels">C.</param>
    /// <param name="weight"><c>[Cout, C·kh·kw]</c>.</param>
    /// <param name="outChannels">Cout.</param>
    /// <param name="bias"><c>[Cout]</c>, or null.</param>
    /// <param name="g">The window geometry of one plane.</param>
    /// <param name="output">Receives <c>[N, Cout, OH, OW]</c>.</param>
    public static void Forward<T>(ArraySegment<T> input, int batch, int channels, ReadOnlySpan<T> weight, int outChannels, ReadOnlySpan<T> bias, ConvGeometry g, ArraySegment<T> output)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var shape = new Shape(batch, channels, outChannels, g);
        if (DirectConvolution.Fits<T>(channels, outChannels, g))
        {
            DirectConvolution.Forward<T>(input.AsSpan(0, batch * shape.InputSample), batch, channels, weight[..shape.WeightLength], outChannels,
                bias.IsEmpty ? [] : bias[..outChannels], g, output.AsSpan(0, shape.OutputLength));
            return;
        }

        T[] columns = ArrayPool<T>.Shared.Rent(shape.ColumnsLength);
        T[] product = ArrayPool<T>.Shared.Rent(shape.OutputLength);
        try
        {
            BatchedIm2Col(input, shape, g, columns);
            var channelMajor = product.AsSpan(0, shape.OutputLength);
            if (!bias.IsEmpty)
            {
                for (int c = 0; c < outChannels; c++) channelMajor.Slice(c * shape.Columns, shape.Columns).Fill(bias[c]);
            }

            Multiply<T>(weight[..shape.WeightLength], false, columns.AsSpan(0, shape.ColumnsLength), false, channelMajor,
                outChannels, shape.Columns, shape.ColumnRows, accumulate: !bias.IsEmpty);
            SwapBatchAndChannel<T>(product, outChannels, batch, shape.Plane, output);
        }
        finally
        {
            ArrayPool<T>.Shared.Return(columns);
            ArrayPool<T>.Shared.Return(product);
        }
    }

    /// <summary><c>inputGradient[n] = Col2Im(weightᵀ · outputGradient[n])</c>.</summary>
    /// <param name="outputGradient"><c>[N, Cout, OH, OW]</c>.</param>
    /// <param name="batch">N.</param>
    /// <param name="channels">C.</param>
    /// <param name="weight"><c>[Cout, C·kh·kw]</c>.</param>
    /// <param name="outChannels">Cout.</param>
    /// <param name="g">The geometry of the forward pass.</param>
    /// <param name="inputGradient">Receives <c>[N, C, H, W]</c> (overwritten).</param>
    public static void BackwardInput<T>(ArraySegment<T> outputGradient, int batch, int channels, ReadOnlySpan<T> weight, int outChannels, ConvGeometry g, ArraySegment<T> inputGradient)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var shape = new Shape(batch, channels, outChannels, g);
        if (DirectConvolution.FitsInputGradient<T>(channels, outChannels, g))
        {
            DirectConvolution.BackwardInput<T>(outputGradient.AsSpan(0, shape.OutputLength), batch, channels, weight[..shape.WeightLength], outChannels, g,
                inputGradient.AsSpan(0, batch * shape.InputSample));
            return;
        }

        T[] gradient = ArrayPool<T>.Shared.Rent(shape.OutputLength);
        T[] columns = ArrayPool<T>.Shared.Rent(shape.ColumnsLength);
        try
        {
            SwapBatchAndChannel<T>(outputGradient, batch, outChannels, shape.Plane, gradient);
            Multiply<T>(weight[..shape.WeightLength], true, gradient.AsSpan(0, shape.OutputLength), false, columns.AsSpan(0, shape.ColumnsLength),
                shape.ColumnRows, shape.Columns, outChannels, accumulate: false);
            PlaneParallel.RunWithScratch<T>(shape.Batch, (long)shape.Batch * shape.ColumnRows * shape.Plane, shape.ColumnRows * shape.Plane, (n, sampleColumns) =>
            {
                CopyColumnsOut<T>(columns, shape, n, sampleColumns);
                var sampleGradient = inputGradient.AsSpan(n * shape.InputSample, shape.InputSample);
                sampleGradient.Clear();
                Im2ColKernels.Col2Im<T>(sampleColumns, channels, g, sampleGradient);
            });
        }
        finally
        {
            ArrayPool<T>.Shared.Return(gradient);
            ArrayPool<T>.Shared.Return(columns);
        }
    }

    /// <summary><c>weightGradient = Σₙ outputGradient[n] · Im2Col(input[n])ᵀ</c>, as one GEMM over all samples.</summary>
    /// <param name="outputGradient"><c>[N, Cout, OH, OW]</c>.</param>
    /// <param name="input"><c>[N, C, H, W]</c>.</param>
    /// <param name="batch">N.</param>
    /// <param name="channels">C.</param>
    /// <param name="outChannels">Cout.</param>
    /// <param name="g">The geometry of the forward pass.</param>
    /// <param name="weightGradient">Receives <c>[Cout, C·kh·kw]</c> (overwritten).</param>
    public static void BackwardWeight<T>(ArraySegment<T> outputGradient, ArraySegment<T> input, int batch, int channels, int outChannels, ConvGeometry g, ArraySegment<T> weightGradient)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var shape = new Shape(batch, channels, outChannels, g);
        if (DirectConvolution.FitsWeightGradient<T>(channels, outChannels, g))
        {
            DirectConvolution.BackwardWeight3x3<T>(outputGradient.AsSpan(0, shape.OutputLength), input.AsSpan(0, batch * shape.InputSample), batch, channels, outChannels, g,
                weightGradient.AsSpan(0, shape.WeightLength));
            return;
        }

        T[] gradient = ArrayPool<T>.Shared.Rent(shape.OutputLength);
        T[] columns = ArrayPool<T>.Shared.Rent(shape.ColumnsLength);
        try
        {
            SwapBatchAndChannel<T>(outputGradient, batch, outChannels, shape.Plane, gradient);
            BatchedIm2Col(input, shape, g, columns);
            Multiply<T>(gradient.AsSpan(0, shape.OutputLength), false, columns.AsSpan(0, shape.ColumnsLength), true, weightGradient.AsSpan(0, shape.WeightLength),
                outChannels, shape.ColumnRows, shape.Columns, accumulate: false);
        }
        finally
        {
            ArrayPool<T>.Shared.Return(gradient);
            ArrayPool<T>.Shared.Return(columns);
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

    /// <summary>Every sample's Im2Col, written side by side into <c>[C·kh·kw, N·OH·OW]</c>.</summary>
    private static void BatchedIm2Col<T>(ArraySegment<T> input, Shape shape, ConvGeometry g, T[] columns)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int channels = shape.ColumnRows / (g.KernelHeight * g.KernelWidth);
        PlaneParallel.Run(shape.Batch, (long)shape.Batch * shape.ColumnRows * shape.Plane, n =>
            Im2ColKernels.Im2ColStrided<T>(input.AsSpan(n * shape.InputSample, shape.InputSample), channels, g, columns.AsSpan(n * shape.Plane), shape.Columns));
    }

    /// <summary>Copies sample <paramref name="n"/>'s block out of batched columns into <c>[C·kh·kw, OH·OW]</c>.</summary>
    private static void CopyColumnsOut<T>(T[] columns, Shape shape, int n, Span<T> sampleColumns)
    {
        for (int row = 0; row < shape.ColumnRows; row++)
            columns.AsSpan(row * shape.Columns + n * shape.Plane, shape.Plane).CopyTo(sampleColumns.Slice(row * shape.Plane, shape.Plane));
    }

    /// <summary>Reorders <c>[A, B, plane]</c> into <c>[B, A, plane]</c> (between sample-major and channel-major layouts).</summary>
    private static void SwapBatchAndChannel<T>(ArraySegment<T> source, int outer, int inner, int plane, ArraySegment<T> target)
    {
        for (int a = 0; a < outer; a++)
            for (int b = 0; b < inner; b++)
                source.AsSpan((a * inner + b) * plane, plane).CopyTo(target.AsSpan((b * outer + a) * plane, plane));
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

    /// <summary>The sizes every step needs, computed once per call.</summary>
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
            Columns = batch * Plane;
            ColumnsLength = ColumnRows * Columns;
            OutputLength = batch * OutputSample;
        }

        public int Batch { get; init; }

        public int ColumnRows { get; }

        public int Plane { get; }

        public int InputSample { get; }

        public int OutputSample { get; }

        public int WeightLength { get; }

        /// <summary>N·OH·OW: the width of the batched columns.</summary>
        public int Columns { get; }

        public int ColumnsLength { get; }

        public int OutputLength { get; }
    }
}
