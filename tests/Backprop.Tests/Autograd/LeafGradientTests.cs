using Backprop.Optimizers;

namespace Backprop.Tests.Autograd;

/// <summary>
/// Products (MatMul, Linear) write a leaf's gradient straight into its <see cref="Tensor.Grad"/> buffer, and
/// ZeroGrad only marks the buffer as zeros: the gradients must still accumulate, reset and combine as PyTorch's.
/// Expected values are the analytic gradients of the sums below.
/// </summary>
public class LeafGradientTests
{
    // ∂/∂W Σ(x·Wᵀ) = Σ over the batch of x, for every output row of W.
    private static readonly double[] X = [1, 2, -3, 0.5, 4, -1];

    private static double[] ColumnSums(int outputs) =>
        [.. Enumerable.Range(0, outputs).SelectMany(_ => new[] { X[0] + X[3], X[1] + X[4], X[2] + X[5] })];

    private static Tensor Input() => Tensor.FromArray(X, 2, 3);

    [Fact]
    public void LinearWeightGradient_AccumulatesOverBackwardCalls()
    {
        var w = Tensor.FromArray(new double[6], 2, 3).RequireGrad();
        Tensor.Linear(Input(), w).Sum().Backward();
        Tensor.Linear(Input(), w).Sum().Backward();
        Assert.Equal(ColumnSums(2).Select(v => 2 * v), w.Grad!.ToDoubleArray());
    }

    [Fact]
    public void ZeroGrad_ThenBackward_OverwritesTheOldGradientInTheSameBuffer()
    {
        var w = Tensor.FromArray(new double[6], 2, 3).RequireGrad();
        var sgd = new Sgd([w], 0.1);
        Tensor.Linear(Input(), w).Sum().Backward();
        var buffer = w.Grad;
        sgd.ZeroGrad();
        Tensor.Linear(Input(), w).Sum().Backward();
        Assert.Same(buffer, w.Grad);
        Assert.Equal(ColumnSums(2), w.Grad!.ToDoubleArray());
    }

    [Fact]
    public void ZeroGrad_ThenAnElementwiseBackward_OverwritesToo()
    {
        var w = Tensor.FromArray(new[] { 1.0, 2.0 }, 2).RequireGrad();
        var sgd = new Sgd([w], 0.1);
        (w * 5.0).Sum().Backward();
        sgd.ZeroGrad();
        (w * 3.0).Sum().Backward();
        Assert.Equal([3.0, 3.0], w.Grad!.ToDoubleArray());
    }

    [Fact]
    public void DirectAndRoutedContributions_ToOneLeaf_AddUp()
    {
        // f = Σ(x·W) + Σ(W ∘ W): the product writes x's column sums into W.Grad directly, the square adds 2W later.
        var x = Tensor.FromArray(X, 2, 3);
        var w = Tensor.FromArray(new[] { 1.0, -2.0, 0.5, 3.0, 2.0, -1.0 }, 3, 2).RequireGrad();
        (x.MatMul(w).Sum() + (w * w).Sum()).Backward();
        double[] weights = [1.0, -2.0, 0.5, 3.0, 2.0, -1.0];
        double[] rowSums = [X[0] + X[3], X[1] + X[4], X[2] + X[5]];
        var expected = Enumerable.Range(0, 6).Select(i => rowSums[i / 2] + 2 * weights[i]);
        Assert.Equal(expected, w.Grad!.ToDoubleArray());
    }

    [Fact]
    public void GradReadAfterZeroGrad_IsZeros_AndNewGradientsStartFromThem()
    {
        var w = Tensor.FromArray(new double[6], 3, 2).RequireGrad();
        var sgd = new Sgd([w], 0.1);
        Input().MatMul(w).Sum().Backward();
        sgd.ZeroGrad();
        Assert.All(w.Grad!.ToDoubleArray(), v => Assert.Equal(0.0, v));
        Input().MatMul(w).Sum().Backward();
        double[] rowSums = [X[0] + X[3], X[1] + X[4], X[2] + X[5]];
        Assert.Equal(Enumerable.Range(0, 6).Select(i => rowSums[i / 2]), w.Grad!.ToDoubleArray());
    }
}
