using Backprop.Ops;
using Backprop.Tensors;

namespace Backprop;

public sealed partial class Tensor
{
    /// <summary>
    /// The same values viewed with another shape (row-major order kept; storage shared). One dimension
    /// may be −1 and is then inferred. Backward reshapes the gradient back.
    /// </summary>
    /// <exception cref="ArgumentException">The new shape holds a different number of elements.</exception>
    public Tensor Reshape(params int[] shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        var dims = (int[])shape.Clone();
        int inferred = Array.IndexOf(dims, -1);
        if (inferred >= 0)
        {
            int known = 1;
            for (int i = 0; i < dims.Length; i++) if (i != inferred) known *= dims[i];
            if (known <= 0 || Length % known != 0)
                throw new ArgumentException($"Reshape: cannot infer the −1 in {ShapeMath.Format(shape)} for {Length} elements (shape {ShapeMath.Format(Dims)}).");
            dims[inferred] = Length / known;
        }
        if (ShapeMath.ElementCount(dims) != Length)
            throw new ArgumentException($"Reshape: shape {ShapeMath.Format(Dims)} ({Length} elements) cannot be viewed as {ShapeMath.Format(shape)}.");
        var input = this;
        return Record(View(dims), "Reshape", [this], g => input.AccumulateGradient(g.Reshape(input.Dims)));
    }

    /// <summary>The transpose of a matrix: [m, n] becomes [n, m] (a copy). Backward transposes the gradient.</summary>
    /// <exception cref="InvalidOperationException">The tensor is not two-dimensional.</exception>
    public Tensor Transpose()
    {
        if (Rank != 2)
            throw new InvalidOperationException($"Transpose: needs a matrix, got shape {ShapeMath.Format(Dims)}.");
        int rows = Dims[0], columns = Dims[1];
        var result = Zeroed(DType, [columns, rows]);
        if (DType == DType.Float32) TransposeInto(Span<float>(), result.Span<float>(), rows, columns);
        else TransposeInto(Span<double>(), result.Span<double>(), rows, columns);
        var input = this;
        return Record(result, "Transpose", [this], g => input.AccumulateGradient(g.Transpose()));
    }

    /// <summary>Shorthand for <see cref="Transpose"/>.</summary>
    public Tensor T => Transpose();

    private static void TransposeInto<T>(ReadOnlySpan<T> source, Span<T> target, int rows, int columns)
    {
        for (int i = 0; i < rows; i++)
            for (int j = 0; j < columns; j++)
                target[j * rows + i] = source[i * columns + j];
    }

    /// <summary>Repeats values along broadcast dimensions to fill <paramref name="dims"/> (not recorded): a copy, row by row.</summary>
    internal Tensor ExpandTo(int[] dims)
    {
        if (Dims.AsSpan().SequenceEqual(dims)) return this;
        ShapeMath.Broadcast("Expand", Dims, dims);
        var result = Uninitialized(DType, dims);
        if (DType == DType.Float32) ExpandInto<float>(this, result);
        else ExpandInto<double>(this, result);
        return result;
    }

    private static void ExpandInto<T>(Tensor source, Tensor result) where T : unmanaged
    {
        var from = source.Span<T>();
        var to = result.Span<T>();
        if (from.Length == 1)
        {
            to.Fill(from[0]);
            return;
        }
        var rows = new BroadcastRows(result.Dims, source.Dims, source.Dims);
        int width = rows.Width;
        for (int row = 0; row < rows.Count; row++)
        {
            var (offset, _) = rows.Next();
            var target = to.Slice(row * width, width);
            if (rows.FirstIsScalarPerRow) target.Fill(from[offset]);
            else from.Slice(offset, width).CopyTo(target);
        }
    }
}
