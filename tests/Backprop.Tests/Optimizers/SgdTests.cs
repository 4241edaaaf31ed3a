using Backprop.Optimizers;

namespace Backprop.Tests.Optimizers;

/// <summary>SGD on f(θ) = ½·a·θ² (gradient a·θ), stepped by hand from PyTorch's documented equations.</summary>
public class SgdTests
{
    private static double[] Run(double theta0, double a, int steps, Func<Tensor, Optimizer> create)
    {
        var theta = Tensor.FromArray(new[] { theta0 }, 1).RequireGrad();
        var optimizer = create(theta);
        var trajectory = new List<double>();
        for (int i = 0; i < steps; i++)
        {
            optimizer.ZeroGrad();
            (theta * theta * (0.5 * a)).Sum().Backward();
            optimizer.Step();
            trajectory.Add(theta.Item());
        }
        return [.. trajectory];
    }

    [Fact]
    public void PlainSgd_IsTheDeltaRule()
    {
        // θ ← θ − η·aθ with θ0 = 1, a = 2, η = 0.1: 0.8, 0.64, 0.512.
        Assert.Equal([0.8, 0.64, 0.512], Run(1, 2, 3, p => new Sgd([p], 0.1)), new WorkedExamples.Tolerance(1e-15));
    }

    [Fact]
    public void Momentum_FollowsPyTorchsEquation()
    {
        // b1 = g1 = 2; θ1 = 1 − 0.2 = 0.8. g2 = 1.6, b2 = 0.9·2 + 1.6 = 3.4; θ2 = 0.8 − 0.34 = 0.46.
        // g3 = 0.92, b3 = 0.9·3.4 + 0.92 = 3.98; θ3 = 0.46 − 0.398 = 0.062.
        Assert.Equal([0.8, 0.46, 0.062], Run(1, 2, 3, p => new Sgd([p], 0.1, momentum: 0.9)), new WorkedExamples.Tolerance(1e-14));
    }

    [Fact]
    public void Nesterov_FollowsPyTorchsEquation()
    {
        // g1 = 2, b1 = 2, step g = 2 + 0.9·2 = 3.8: θ1 = 0.62. g2 = 1.24, b2 = 1.8 + 1.24 = 3.04,
        // step 1.24 + 2.736 = 3.976: θ2 = 0.2224. g3 = 0.4448, b3 = 2.736 + 0.4448 = 3.1808,
        // step 0.4448 + 2.86272 = 3.30752: θ3 = −0.108352.
        Assert.Equal([0.62, 0.2224, -0.108352], Run(1, 2, 3, p => new Sgd([p], 0.1, momentum: 0.9, nesterov: true)), new WorkedExamples.Tolerance(1e-14));
    }

    [Fact]
    public void WeightDecay_AddsLambdaTheta()
    {
        // g = aθ + λθ = 2.5θ with λ = 0.5: θ ← θ(1 − 0.25): 0.75, 0.5625, 0.421875.
        Assert.Equal([0.75, 0.5625, 0.421875], Run(1, 2, 3, p => new Sgd([p], 0.1, weightDecay: 0.5)), new WorkedExamples.Tolerance(1e-15));
    }

    [Fact]
    public void NegativeLearningRate_IsRejectedWithTheValue()
    {
        var p = Tensor.Zeros(1).RequireGrad();
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new Sgd([p], -0.1));
        Assert.Contains("-0.1", error.Message);
        Assert.Throws<ArgumentException>(() => new Sgd([p], 0.1, nesterov: true));
        Assert.Throws<ArgumentException>(() => new Sgd([Tensor.Zeros(1)], 0.1));
    }

    [Fact]
    public void ZeroGrad_KeepsTheBufferAndZeroesIt()
    {
        var p = Tensor.FromArray(new[] { 1.0 }, 1).RequireGrad();
        var sgd = new Sgd([p], 0.1);
        (p * 3.0).Sum().Backward();
        var buffer = p.Grad;
        sgd.ZeroGrad();
        Assert.Same(buffer, p.Grad);
        Assert.Equal(0.0, p.Grad!.Item());
    }
}
