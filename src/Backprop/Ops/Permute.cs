using Backprop.Tensors;

namespace Backprop;

public sealed partial class Tensor
{
    /// <summary>
    /// Reorders the dimensions: result dimension i is input dimension <paramref name="axes"/>[i] (a copy),
    /// e.g. <c>Permute(1, 0, 2)</c> turns [time, batch, features] into [batch, time, features].
    /// Backward applies the inverse permutation.
    /// </summary>
    public Tensor Permute(params int[] axes)
    {
        ArgumentNullException.ThrowIfNull(axes);
        if (axes.Length != Rank || axes.Distinct().Count() != Rank || axes.Any(a => a < 0 || a >= Rank))
            throw new ArgumentException($"Permute: {ShapeMath.Format(axes)} is not a permutation of the {Rank} axes of shape {ShapeMath.Format(Dims)}.", nameof(axes));
        var dims = axes.Select(a => Dims[a]).ToArray();
        var result = Zeroed(DType, dims);
        var sourceStrides = new int[Rank];
        for (int i = Rank - 1, stride = 1; i >= 0; stride *= Dims[i], i--) sourceStrides[i] = stride;
        var strides = axes.Select(a => sourceStrides[a]).ToArray();
        var counter = new int[Rank];
        int offset = 0;
        for (int i = 0; i < Length; i++)
        {
            if (DType == DType.Float32) result.Span<float>()[i] = Span<float>()[offset];
            else result.Span<double>()[i] = Span<double>()[offset];
            for (int axis = Rank - 1; axis >= 0; axis--)
            {
                counter[axis]++;
                offset += strides[axis];
                if (counter[axis] < dims[axis]) break;
                offset -= strides[axis] * dims[axis];
                counter[axis] = 0;
            }
        }
        var inverse = new int[Rank];
        for (int i = 0; i < Rank; i++) inverse[axes[i]] = i;
        var input = this;
        return Record(result, "Permute", [this], g => input.AccumulateGradient(g.Permute(inverse)));
    }
}
