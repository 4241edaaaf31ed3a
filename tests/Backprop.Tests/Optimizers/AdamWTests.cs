using Backprop.Optimizers;

namespace Backprop.Tests.Optimizers;

/// <summary>AdamW: decoupled decay θ ← θ − γλθ before the Adam step, against the documented equation in plain doubles.</summary>
public class AdamWTests
{
    [Fact]
    public void ThreeSteps_MatchTheDocumentedEquation()
    {
        var actual = Quadratic.Run(p => new AdamW([p], learningRate: 0.1, weightDecay: 0.5), 3);
        // Step 1: θ shrinks by 1 − 0.1·0.5 = 0.95 first, then moves ≈ 0.1·sign(g) (g from the unshrunk θ):
        // [0.95 − 0.1, −1.9 + 0.1, 0.475 − 0.1] = [0.85, −1.8, 0.375].
        Assert.Equal([0.85, -1.8, 0.375], actual[0], new WorkedExamples.Tolerance(1e-8));
        Quadratic.AssertTrajectory(AdamTests.Reference(3, 0.1, 0.9, 0.999, 1e-8, 0.5, amsgrad: false, decoupled: true), actual, 1e-14);
    }

    [Fact]
    public void WithAmsgrad_MatchesTheDocumentedEquation()
    {
        var actual = Quadratic.Run(p => new AdamW([p], learningRate: 0.9, beta2: 0.5, weightDecay: 0.1, amsgrad: true), 3);
        Quadratic.AssertTrajectory(AdamTests.Reference(3, 0.9, 0.9, 0.5, 1e-8, 0.1, amsgrad: true, decoupled: true), actual, 1e-14);
    }

    [Fact]
    public void DefaultWeightDecay_IsOneHundredth()
    {
        var p = Tensor.Zeros(1).RequireGrad();
        Assert.Equal(1e-2, new AdamW([p]).WeightDecay);
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new AdamW([p], weightDecay: -1));
        Assert.Contains("AdamW", error.Message);
        Assert.Contains("got -1", error.Message);
    }
}
