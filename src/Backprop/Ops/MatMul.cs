using Backprop.Kernels;
using Backprop.Tensors;

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
        var (m, k, n) = MatMulShape(other);
        var (a, b) = (this, other);
        var result = Uninitialized(DType, [m, n]);
        GemmInto(a, false, b, false, result, m, n, k, accumulate: false);
        return Record(result, "MatMul", [a, b], g =>
        {
            if (a.RequiresGrad) AccumulateProductGradient(a, g, false, b, true, m, k, n);
            if (b.RequiresGrad) AccumulateProductGradient(b, a, true, g, false, k, n, m);
        });
    }

    /// <summary>
    /// The matrix product of this [m, k] and <paramref name="other"/> [k, n] written into <paramref name="output"/>
    /// [m, n], which is returned (PyTorch's <c>torch.matmul(a, b, out=c)</c>): a loop that multiplies large matrices
    /// reuses one result buffer instead of asking the garbage collector for fresh memory each time, whose first
    /// touch costs page faults on every product. Not recorded by autograd, as in PyTorch.
    /// </summary>
    /// <exception cref="ArgumentException">The shapes or dtypes do not fit, or <paramref name="output"/> shares storage with an operand.</exception>
    /// <exception cref="InvalidOperationException">An operand requires gradients while gradients are recorded.</exception>
    public Tensor MatMul(Tensor other, Tensor output)
    {
        var (m, k, n) = MatMulShape(other);
        ArgumentNullException.ThrowIfNull(output);
        RequireSameDType("MatMul", output);
        if (output.Rank != 2 || output.Dims[0] != m || output.Dims[1] != n)
            throw new ArgumentException($"MatMul: output of shape {ShapeMath.Format(output.Dims)} cannot hold the [{m}, {n}] product of {ShapeMath.Format(Dims)} and {ShapeMath.Format(other.Dims)}.", nameof(output));
        if (ReferenceEquals(output._storage, _storage) || ReferenceEquals(output._storage, other._storage))
            throw new ArgumentException("MatMul: the output shares storage with an operand; the product would overwrite its own input.", nameof(output));
        if (IsGradEnabled && (RequiresGrad || other.RequiresGrad))
            throw new InvalidOperationException("MatMul with an output tensor is not recorded by autograd, but an operand requires gradients: use MatMul(other), or run inside Tensor.NoGrad().");
        GemmInto(this, false, other, false, output, m, n, k, accumulate: false);
        output.MarkChanged();
        return output;
    }

    private (int M, int K, int N) MatMulShape(Tensor other)
    {
        ArgumentNullException.ThrowIfNull(other);
        RequireSameDType("MatMul", other);
        if (Rank != 2 || other.Rank != 2 || Dims[1] != other.Dims[0])
            throw new ArgumentException($"MatMul: shapes {ShapeMath.Format(Dims)} and {ShapeMath.Format(other.Dims)} cannot be multiplied (need [m, k] and [k, n]).");
        return (Dims[0], Dims[1], other.Dims[1]);
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
