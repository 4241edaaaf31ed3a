using Backprop.Tensors;

namespace Backprop;

public sealed partial class Tensor
{
    /// <summary>
    /// The slice [start, start + length) along <paramref name="axis"/> (a copy). Backward scatters the
    /// gradient into that slice of a zero tensor of the input's shape.
    /// </summary>
    public Tensor Narrow(int axis, int start, int length)
    {
        int resolved = ShapeMath.Axis("Narrow", axis, Rank);
        if (start < 0 || length < 0 || start + length > Dims[resolved])
            throw new ArgumentOutOfRangeException(nameof(start), start, $"Narrow: [{start}, {start + length}) is outside dimension {resolved} of size {Dims[resolved]} (shape {ShapeMath.Format(Dims)}).");
        var dims = (int[])Dims.Clone();
        dims[resolved] = length;
        var result = Zeroed(DType, dims);
        var (outer, size, inner) = Split(Dims, resolved);
        CopyBlocks(this, result, outer, inner * length, sourceStride: size * inner, sourceOffset: start * inner, targetStride: length * inner, targetOffset: 0);
        var input = this;
        return Record(result, "Narrow", [this], g =>
        {
            var gx = Zeroed(input.DType, input.Dims);
            CopyBlocks(g, gx, outer, inner * length, sourceStride: length * inner, sourceOffset: 0, targetStride: size * inner, targetOffset: start * inner);
            input.AccumulateGradient(gx);
        });
    }

    /// <summary>Element <paramref name="index"/> along <paramref name="axis"/>, with that axis removed (e.g. one time step).</summary>
    public Tensor Select(int axis, int index)
    {
        int resolved = ShapeMath.Axis("Select", axis, Rank);
        return Narrow(resolved, index, 1).Reshape(Dims.Where((_, i) => i != resolved).ToArray());
    }

    /// <summary>
    /// Joins tensors along an existing axis; all other dimensions must match. Backward hands each input
    /// its slice of the gradient.
    /// </summary>
    public static Tensor Concat(IReadOnlyList<Tensor> tensors, int axis = 0)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        if (tensors.Count == 0) throw new ArgumentException("Concat: no tensors given.", nameof(tensors));
        var first = tensors[0];
        int resolved = ShapeMath.Axis("Concat", axis, first.Rank);
        int total = 0;
        foreach (var t in tensors)
        {
            first.RequireSameDType("Concat", t);
            bool fits = t.Rank == first.Rank && t.Dims.Select((d, i) => i == resolved || d == first.Dims[i]).All(ok => ok);
            if (!fits)
                throw new ArgumentException($"Concat: shape {ShapeMath.Format(t.Dims)} does not match {ShapeMath.Format(first.Dims)} outside axis {resolved}.", nameof(tensors));
            total += t.Dims[resolved];
        }
        var dims = (int[])first.Dims.Clone();
        dims[resolved] = total;
        var result = Zeroed(first.DType, dims);
        var (outer, _, inner) = Split(dims, resolved);
        int offset = 0;
        foreach (var t in tensors)
        {
            int size = t.Dims[resolved];
            CopyBlocks(t, result, outer, size * inner, sourceStride: size * inner, sourceOffset: 0, targetStride: total * inner, targetOffset: offset * inner);
            offset += size;
        }
        var inputs = tensors.ToArray();
        return Record(result, "Concat", inputs, g =>
        {
            int at = 0;
            foreach (var t in inputs)
            {
                int size = t.Dims[resolved];
                if (t.RequiresGrad) t.AccumulateGradient(g.Narrow(resolved, at, size));
                at += size;
            }
        });
    }

    /// <summary>Stacks same-shaped tensors along a new axis (e.g. time steps into a sequence).</summary>
    public static Tensor Stack(IReadOnlyList<Tensor> tensors, int axis = 0)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        if (tensors.Count == 0) throw new ArgumentException("Stack: no tensors given.", nameof(tensors));
        int rank = tensors[0].Rank + 1;
        int resolved = axis < 0 ? axis + rank : axis;
        if (resolved < 0 || resolved >= rank)
            throw new ArgumentOutOfRangeException(nameof(axis), axis, $"Stack: axis {axis} is out of range for a result of rank {rank}.");
        foreach (var t in tensors)
            if (!ShapeMath.SameShape(t, tensors[0]))
                throw new ArgumentException($"Stack: shapes {ShapeMath.Format(tensors[0].Dims)} and {ShapeMath.Format(t.Dims)} differ.", nameof(tensors));
        var expanded = tensors.Select(t => t.Reshape([.. t.Dims[..resolved], 1, .. t.Dims[resolved..]])).ToArray();
        return Concat(expanded, resolved);
    }

    /// <summary>How many arithmetic elements' worth of time copying one element read from memory costs, for <see cref="Kernels.PlaneParallel.Run"/>.</summary>
    private const int MemoryBoundCost = 4;

    /// <summary>
    /// Rows of this tensor picked by <paramref name="indices"/> along axis 0 (an embedding lookup).
    /// Backward adds each row's gradient into the picked row, so repeated indices accumulate.
    /// </summary>
    public Tensor IndexSelect(int[] indices)
    {
        ArgumentNullException.ThrowIfNull(indices);
        if (Rank == 0) throw new InvalidOperationException("IndexSelect: needs at least one dimension; got a scalar.");
        int rows = Dims[0], width = Length / Math.Max(rows, 1);
        for (int i = 0; i < indices.Length; i++)
            if ((uint)indices[i] >= (uint)rows)
                throw new ArgumentOutOfRangeException(nameof(indices), indices[i], $"IndexSelect: index {indices[i]} at position {i} is outside [0, {rows}).");
        var dims = (int[])Dims.Clone();
        dims[0] = indices.Length;
        var result = Uninitialized(DType, dims);
        // Gathered rows come from memory, not cache (a shuffled batch of a data set), so copying them pays off on
        // several cores sooner than arithmetic does.
        long cost = (long)indices.Length * width * MemoryBoundCost;
        if (DType == DType.Float32) Kernels.RowGather.Copy(Segment<float>(), width, indices, result.Segment<float>(), cost);
        else Kernels.RowGather.Copy(Segment<double>(), width, indices, result.Segment<double>(), cost);
        var input = this;
        return Record(result, "IndexSelect", [this], g =>
        {
            var gx = Zeroed(input.DType, input.Dims);
            for (int i = 0; i < indices.Length; i++)
            {
                if (input.DType == DType.Float32)
                    System.Numerics.Tensors.TensorPrimitives.Add(gx.Span<float>().Slice(indices[i] * width, width), g.Span<float>().Slice(i * width, width), gx.Span<float>().Slice(indices[i] * width, width));
                else
                    System.Numerics.Tensors.TensorPrimitives.Add(gx.Span<double>().Slice(indices[i] * width, width), g.Span<double>().Slice(i * width, width), gx.Span<double>().Slice(indices[i] * width, width));
            }
            input.AccumulateGradient(gx);
        });
    }

    private static (int Outer, int Size, int Inner) Split(int[] dims, int axis) =>
        (ShapeMath.ElementCount(dims.AsSpan(0, axis)), dims[axis], ShapeMath.ElementCount(dims.AsSpan(axis + 1)));

    /// <summary>Copies <paramref name="blocks"/> runs of <paramref name="blockLength"/> elements between strided positions.</summary>
    private static void CopyBlocks(Tensor source, Tensor target, int blocks, int blockLength, int sourceStride, int sourceOffset, int targetStride, int targetOffset)
    {
        for (int b = 0; b < blocks; b++)
        {
            if (source.DType == DType.Float32)
                source.Span<float>().Slice(sourceOffset + b * sourceStride, blockLength).CopyTo(target.Span<float>().Slice(targetOffset + b * targetStride, blockLength));
            else
                source.Span<double>().Slice(sourceOffset + b * sourceStride, blockLength).CopyTo(target.Span<double>().Slice(targetOffset + b * targetStride, blockLength));
        }
    }
}
