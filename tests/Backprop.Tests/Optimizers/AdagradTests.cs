using Backprop.Optimizers;

namespace Backprop.Tests.Optimizers;

/// <summary>Adagrad on f(θ) = ½ Σ aᵢθᵢ², against PyTorch's documented equation stepped in plain doubles.</summary>
public class AdagradTests
{
    // γ̃ = γ/(1 + (t−1)η), g = aθ + λθ, s ← s + g² (s₀ = initial accumulator), θ ← θ − γ̃·g/(√s + ε).
    private static double[][] Reference(int steps, double lr, double lrDecay, double weightDecay, double initial, double eps)
    {
        double[] theta = [.. Quadratic.Start], s = [initial, initial, initial];
        var trajectory = new double[steps][];
        for (int t = 1; t <= steps; t++)
        {
            double rate = lr / (1 + (t - 1) * lrDecay);
            for (int i = 0; i < 3; i++)
            {
                double g = Quadratic.Curvature[i] * theta[i] + weightDecay * theta[i];
                s[i] += g * g;
                theta[i] -= rate * g / (Math.Sqrt(s[i]) + eps);
            }
            trajectory[t - 1] = [.. theta];
        }
        return trajectory;
    }

    [Fact]
    public void ThreeSteps_MatchTheDocumentedEquation()
    {
        var actual = Quadratic.Run(p => new Adagrad([p], learningRate: 0.1), 3);
        // Step 1: s = g², θ1 = θ0 − 0.1·sign(g) = [0.9, −1.9, 0.4]; step 2 for θ[0]: g = 0.9, s = 1.81,
        // θ2 = 0.9 − 0.1·0.9/√1.81 = 0.833104…
        Assert.Equal([0.9, -1.9, 0.4], actual[0], new WorkedExamples.Tolerance(1e-9));
        Assert.Equal(0.9 - 0.09 / Math.Sqrt(1.81), actual[1][0], 1e-9);
        Quadratic.AssertTrajectory(Reference(3, 0.1, 0, 0, 0, 1e-10), actual, 1e-14);
    }

    [Fact]
    public void LearningRateDecayWeightDecayAndInitialAccumulator_MatchTheDocumentedEquation()
    {
        var actual = Quadratic.Run(p => new Adagrad([p], learningRate: 0.1, learningRateDecay: 0.5, weightDecay: 0.2, initialAccumulatorValue: 0.3), 3);
        // Step 1 for θ[0]: γ̃ = 0.1, g = 1.2, s = 0.3 + 1.44 = 1.74, θ1 = 1 − 0.12/√1.74; step 2 uses γ̃ = 0.1/1.5, step 3 0.1/2.
        Assert.Equal(1 - 0.12 / Math.Sqrt(1.74), actual[0][0], 1e-9);
        Quadratic.AssertTrajectory(Reference(3, 0.1, 0.5, 0.2, 0.3, 1e-10), actual, 1e-14);
    }

    [Fact]
    public void NegativeInitialAccumulator_IsRejectedWithTheValue()
    {
        var p = Tensor.Zeros(1).RequireGrad();
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new Adagrad([p], initialAccumulatorValue: -0.25));
        Assert.Equal("initialAccumulatorValue", error.ParamName);
        Assert.Contains("Adagrad: initialAccumulatorValue", error.Message);
        Assert.Contains("-0.25", error.Message);
    }
}
