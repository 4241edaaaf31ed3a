using Backprop.Kernels;

namespace Backprop;

public sealed partial class Tensor
{
    /// <summary>
    /// The matrix product of this [m, k] and <paramref name="other"/> [k, n], giving [m, n].
    /// Backward: ∂L/∂A = ∂L/∂C · Bᵀ and ∂L/∂B = Aᵀ · ∂L/∂C, computed without forming transposes.
    /// </summary>
    /// <exception cref="ArgumentException">Either operand is not a matrix, or the inner sizes differ.</exception>
    public Tensor MatMul(Tensor other)
    {
        ArgumentNullException.ThrowIfNull(other);
        RequireSameDType("MatMul", other);
        if (Rank != 2 || other.Rank != 2 || Dims[1] != other.Dims[0])
            throw new ArgumentException($"MatMul: shapes {ShapeMath.Format(Dims)} and {ShapeMath.Format(other.Dims)} cannot be multiplied (need [m, k] and [k, n]).");
        var (a, b) = (this, other);
        int m = Dims[0], k = Dims[1], n = other.Dims[1];
        var result = Uninitialized(DType, [m, n]);
        GemmInto(a, false, b, false, result, m, n, k, accumulate: false);
        return Record(result, "MatMul", [a, b], g =>
        {
            if (a.RequiresGrad) AccumulateProductGradient(a, g, false, b, true, m, k, n);
            if (b.RequiresGrad) AccumulateProductGradient(b, a, true, g, false, k, n, m);
        });
    }

    /// <summary>
    /// Adds op(a)·op(b) to the gradient of <paramref name="target"/>: computed straight into a leaf's gradient
    /// buffer where <see cref="DirectGradient"/> allows it, else into a temporary passed to <see cref="AccumulateGradient"/>.
    /// </summary>
    internal static void AccumulateProductGradient(Tensor target, Tensor a, bool transposeA, Tensor b, bool transposeB, int m, int n, int k)
    {
        if (target.DirectGradient(out bool accumulate) is { } destination)
        {
            GemmInto(a, transposeA, b, transposeB, destination, m, n, k, accumulate);
            return;
        }
        var product = Uninitialized(target.DType, target.Dims);
        GemmInto(a, transposeA, b, transposeB, product, m, n, k, accumulate: false);
        target.AccumulateGradient(product);
    }

    /// <summary>c = op(a)·op(b) (or +=) on the tensors' storage, for the dtype they share.</summary>
    internal static void GemmInto(Tensor a, bool transposeA, Tensor b, bool transposeB, Tensor c, int m, int n, int k, bool accumulate)
    {
        if (c.DType == DType.Float32)
            Gemm.Multiply(a.Span<float>(), transposeA, b.Span<float>(), transposeB, c.Span<float>(), m, n, k, accumulate);
        else
            Gemm.Multiply(a.Span<double>(), transposeA, b.Span<double>(), transposeB, c.Span<double>(), m, n, k, accumulate);
    }
}
