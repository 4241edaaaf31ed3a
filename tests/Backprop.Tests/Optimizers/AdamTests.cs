using Backprop.Optimizers;

namespace Backprop.Tests.Optimizers;

/// <summary>Adam on f(θ) = ½ Σ aᵢθᵢ², against PyTorch's documented equation stepped in plain doubles.</summary>
public class AdamTests
{
    // PyTorch's torch.optim.Adam equation (decoupled = false) or AdamW's (decoupled = true), one element at a time:
    // g = aθ (+ λθ), m ← β1m + (1−β1)g, v ← β2v + (1−β2)g², v_max ← max(v_max, v), θ ← θ − γ·(m/(1−β1ᵗ)) / (√(v_max/(1−β2ᵗ)) + ε).
    internal static double[][] Reference(int steps, double lr, double beta1, double beta2, double eps, double weightDecay, bool amsgrad, bool decoupled)
    {
        double[] theta = [.. Quadratic.Start], m = new double[3], v = new double[3], vMax = new double[3];
        var trajectory = new double[steps][];
        for (int t = 1; t <= steps; t++)
        {
            for (int i = 0; i < 3; i++)
            {
                double g = Quadratic.Curvature[i] * theta[i];
                if (decoupled) theta[i] -= lr * weightDecay * theta[i];
                else g += weightDecay * theta[i];
                m[i] = beta1 * m[i] + (1 - beta1) * g;
                v[i] = beta2 * v[i] + (1 - beta2) * g * g;
                vMax[i] = Math.Max(vMax[i], v[i]);
                double mHat = m[i] / (1 - Math.Pow(beta1, t));
                double vHat = (amsgrad ? vMax[i] : v[i]) / (1 - Math.Pow(beta2, t));
                theta[i] -= lr * mHat / (Math.Sqrt(vHat) + eps);
            }
            trajectory[t - 1] = [.. theta];
        }
        return trajectory;
    }

    [Fact]
    public void ThreeSteps_MatchTheDocumentedEquation()
    {
        var actual = Quadratic.Run(p => new Adam([p], learningRate: 0.1), 3);
        // Step 1: m̂ = g and v̂ = g², so θ1 = θ0 − 0.1·g/(|g| + ε) ≈ θ0 − 0.1·sign(g) = [0.9, −1.9, 0.4].
        Assert.Equal([0.9, -1.9, 0.4], actual[0], new WorkedExamples.Tolerance(1e-8));
        Quadratic.AssertTrajectory(Reference(3, 0.1, 0.9, 0.999, 1e-8, 0, amsgrad: false, decoupled: false), actual, 1e-14);
    }

    [Fact]
    public void WeightDecay_IsAddedToTheGradient()
    {
        // g = (a + λ)θ with λ = 0.5; step 1 is still ≈ θ0 − 0.1·sign(g) = [0.9, −1.9, 0.4] as Adam normalises g.
        var actual = Quadratic.Run(p => new Adam([p], learningRate: 0.1, beta1: 0.8, beta2: 0.9, weightDecay: 0.5), 3);
        Assert.Equal([0.9, -1.9, 0.4], actual[0], new WorkedExamples.Tolerance(1e-8));
        Quadratic.AssertTrajectory(Reference(3, 0.1, 0.8, 0.9, 1e-8, 0.5, amsgrad: false, decoupled: false), actual, 1e-14);
    }

    [Fact]
    public void Amsgrad_DividesByTheRunningMaximum()
    {
        // β2 = 0.5 and a large step make |g| shrink fast, so v falls below its maximum from step 2 on:
        // θ0[0] = 1, g1 = 1, v1 = 0.5, θ1 = 1 − 0.9·1 = 0.1; g2 = 0.1, v2 = 0.25 + 0.005 = 0.255 < v_max = 0.5.
        var plain = Quadratic.Run(p => new Adam([p], learningRate: 0.9, beta2: 0.5), 3);
        var amsgrad = Quadratic.Run(p => new Adam([p], learningRate: 0.9, beta2: 0.5, amsgrad: true), 3);
        Quadratic.AssertTrajectory(Reference(3, 0.9, 0.9, 0.5, 1e-8, 0, amsgrad: true, decoupled: false), amsgrad, 1e-14);
        Assert.NotEqual(plain[1][0], amsgrad[1][0]);
    }

    [Fact]
    public void Float32_StaysWithinSinglePrecisionOfTheDoubleEquation()
    {
        var actual = Quadratic.Run(p => new Adam([p], learningRate: 0.1, weightDecay: 0.1, amsgrad: true), 3, DType.Float32);
        Quadratic.AssertTrajectory(Reference(3, 0.1, 0.9, 0.999, 1e-8, 0.1, amsgrad: true, decoupled: false), actual, 1e-6);
    }

    [Theory]
    [InlineData(1.0, 0.999, 1e-8, "beta1")]
    [InlineData(0.9, 1.5, 1e-8, "beta2")]
    [InlineData(-0.1, 0.999, 1e-8, "beta1")]
    [InlineData(0.9, 0.999, -1e-8, "epsilon")]
    public void BadArguments_AreRejectedWithTheValue(double beta1, double beta2, double epsilon, string name)
    {
        var p = Tensor.Zeros(1).RequireGrad();
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new Adam([p], beta1: beta1, beta2: beta2, epsilon: epsilon));
        Assert.Equal(name, error.ParamName);
        Assert.Contains("Adam", error.Message);
        Assert.Contains($"got {(name == "beta1" ? beta1 : name == "beta2" ? beta2 : epsilon)}", error.Message);
        var negativeRate = Assert.Throws<ArgumentOutOfRangeException>(() => new Adam([p], learningRate: -0.001));
        Assert.Contains("-0.001", negativeRate.Message);
    }
}
