using System.Numerics.Tensors;
using System.Numerics;
using Backprop.Tensors;

namespace Backprop;

public sealed partial class Tensor
{
    /// <summary>The sum of all elements, a scalar. Backward: every element receives the gradient.</summary>
    public Tensor Sum()
    {
        var result = Zeroed(DType, []);
        if (DType == DType.Float32) result.Span<float>()[0] = TensorPrimitives.Sum<float>(Span<float>());
        else result.Span<double>()[0] = TensorPrimitives.Sum<double>(Span<double>());
        var input = this;
        return Record(result, "Sum", [this], g => input.AccumulateGradient(g.ExpandTo(input.Dims)));
    }

    /// <summary>The mean of all elements, a scalar. Backward: every element receives gradient / count.</summary>
    public Tensor Mean() => Sum().MultiplyScalar(1.0 / Length);

    /// <summary>
    /// Sums along <paramref name="axis"/> (−1 is the last). The axis is removed, or kept with size 1 when
    /// <paramref name="keepDims"/>. Backward copies the gradient along the summed axis.
    /// </summary>
    public Tensor Sum(int axis, bool keepDims = false)
    {
        int resolved = ShapeMath.Axis("Sum", axis, Rank);
        int outer = ShapeMath.ElementCount(Dims.AsSpan(0, resolved));
        int size = Dims[resolved];
        int inner = ShapeMath.ElementCount(Dims.AsSpan(resolved + 1));
        var keptDims = (int[])Dims.Clone();
        keptDims[resolved] = 1;
        var result = Zeroed(DType, keptDims);
        if (DType == DType.Float32) SumAxis<float>(Span<float>(), result.Span<float>(), outer, size, inner);
        else SumAxis<double>(Span<double>(), result.Span<double>(), outer, size, inner);
        var input = this;
        var recorded = Record(result, "SumAxis", [this], g => input.AccumulateGradient(g.ExpandTo(input.Dims)));
        return keepDims ? recorded : recorded.Reshape(Dims.Where((_, i) => i != resolved).ToArray());
    }

    /// <summary>The mean along <paramref name="axis"/>; see <see cref="Sum(int, bool)"/>.</summary>
    public Tensor Mean(int axis, bool keepDims = false)
    {
        int size = Dims[ShapeMath.Axis("Mean", axis, Rank)];
        return Sum(axis, keepDims).MultiplyScalar(1.0 / size);
    }

    private static void SumAxis<T>(ReadOnlySpan<T> source, Span<T> target, int outer, int size, int inner)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int o = 0; o < outer; o++)
        {
            var row = target.Slice(o * inner, inner);
            for (int s = 0; s < size; s++)
                TensorPrimitives.Add(row, source.Slice((o * size + s) * inner, inner), row);
        }
    }
}
