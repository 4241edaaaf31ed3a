using System.Numerics;
using System.Numerics.Tensors;

namespace Backprop;

public sealed partial class Tensor
{
    /// <summary>
    /// softmax(x)ᵢ = e^(xᵢ − max x) / Σⱼ e^(xⱼ − max x) along the last axis (rows of a batch). Subtracting
    /// the row maximum keeps every exponent ≤ 0, so inputs of ±1000 give no overflow.
    /// Backward: gx = y ∘ (gy − Σ(gy ∘ y)).
    /// </summary>
    public Tensor Softmax()
    {
        var result = RowWise(static (row, output) => SoftmaxRow(row, output), static (row, output) => SoftmaxRow(row, output));
        var input = this;
        return Record(result, "Softmax", [this], g =>
        {
            var gx = Zeroed(input.DType, input.Dims);
            if (input.DType == DType.Float32) SoftmaxBackward<float>(result, g, gx);
            else SoftmaxBackward<double>(result, g, gx);
            input.AccumulateGradient(gx);
        });
    }

    /// <summary>
    /// log softmax(x)ᵢ = xᵢ − max x − log Σⱼ e^(xⱼ − max x) along the last axis; finite wherever the input is.
    /// Backward: gx = gy − softmax(x) · Σ gy.
    /// </summary>
    public Tensor LogSoftmax()
    {
        var result = RowWise(static (row, output) => LogSoftmaxRow(row, output), static (row, output) => LogSoftmaxRow(row, output));
        var input = this;
        return Record(result, "LogSoftmax", [this], g =>
        {
            var gx = Zeroed(input.DType, input.Dims);
            if (input.DType == DType.Float32) LogSoftmaxBackward<float>(result, g, gx);
            else LogSoftmaxBackward<double>(result, g, gx);
            input.AccumulateGradient(gx);
        });
    }

    internal delegate void RowKernel<T>(ReadOnlySpan<T> row, Span<T> output);

    /// <summary>Applies a kernel to each row (last axis) into a new tensor of the same shape.</summary>
    internal Tensor RowWise(RowKernel<float> kernel32, RowKernel<double> kernel64)
    {
        if (Rank == 0) throw new InvalidOperationException("a row-wise operation needs at least one dimension; got a scalar.");
        var result = Zeroed(DType, Dims);
        int width = Dims[^1];
        for (int start = 0; width > 0 && start < Length; start += width)
        {
            if (DType == DType.Float32) kernel32(Span<float>().Slice(start, width), result.Span<float>().Slice(start, width));
            else kernel64(Span<double>().Slice(start, width), result.Span<double>().Slice(start, width));
        }
        return result;
    }

    internal static void SoftmaxRow<T>(ReadOnlySpan<T> row, Span<T> output) where T : unmanaged, IFloatingPointIeee754<T>
    {
        T max = TensorPrimitives.Max(row);
        TensorPrimitives.Subtract(row, max, output);
        TensorPrimitives.Exp(output, output);
        TensorPrimitives.Divide(output, TensorPrimitives.Sum<T>(output), output);
    }

    internal static void LogSoftmaxRow<T>(ReadOnlySpan<T> row, Span<T> output) where T : unmanaged, IFloatingPointIeee754<T>
    {
        T max = TensorPrimitives.Max(row);
        TensorPrimitives.Subtract(row, max, output);
        T sum = T.Zero;
        foreach (T v in output) sum += T.Exp(v);
        TensorPrimitives.Subtract(output, T.Log(sum), output);
    }

    private static void SoftmaxBackward<T>(Tensor y, Tensor gy, Tensor gx) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int width = y.Dims[^1];
        for (int start = 0; start < y.Length; start += width)
        {
            var yRow = y.Span<T>().Slice(start, width);
            var gRow = gy.Span<T>().Slice(start, width);
            var outRow = gx.Span<T>().Slice(start, width);
            T dot = TensorPrimitives.Dot<T>(gRow, yRow);
            TensorPrimitives.Subtract(gRow, dot, outRow);
            TensorPrimitives.Multiply(outRow, yRow, outRow);
        }
    }

    private static void LogSoftmaxBackward<T>(Tensor logProbabilities, Tensor gy, Tensor gx) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int width = logProbabilities.Dims[^1];
        for (int start = 0; start < logProbabilities.Length; start += width)
        {
            var logRow = logProbabilities.Span<T>().Slice(start, width);
            var gRow = gy.Span<T>().Slice(start, width);
            var outRow = gx.Span<T>().Slice(start, width);
            T total = TensorPrimitives.Sum<T>(gRow);
            for (int i = 0; i < width; i++) outRow[i] = gRow[i] - T.Exp(logRow[i]) * total;
        }
    }
}
