using Backprop.Optimizers;

namespace Backprop.Tests.Optimizers;

/// <summary>RMSprop on f(θ) = ½ Σ aᵢθᵢ², against PyTorch's documented equation stepped in plain doubles.</summary>
public class RmsPropTests
{
    // g = aθ + λθ, v ← αv + (1−α)g², centered: ḡ ← αḡ + (1−α)g and d = √(v − ḡ²) + ε, else d = √v + ε;
    // μ > 0: b ← μb + g/d, θ ← θ − γb; else θ ← θ − γg/d.
    private static double[][] Reference(int steps, double lr, double alpha, double eps, double weightDecay, double momentum, bool centered)
    {
        double[] theta = [.. Quadratic.Start], v = new double[3], gAverage = new double[3], b = new double[3];
        var trajectory = new double[steps][];
        for (int t = 0; t < steps; t++)
        {
            for (int i = 0; i < 3; i++)
            {
                double g = Quadratic.Curvature[i] * theta[i] + weightDecay * theta[i];
                v[i] = alpha * v[i] + (1 - alpha) * g * g;
                double variance = v[i];
                if (centered)
                {
                    gAverage[i] = alpha * gAverage[i] + (1 - alpha) * g;
                    variance -= gAverage[i] * gAverage[i];
                }
                double d = Math.Sqrt(variance) + eps;
                if (momentum > 0)
                {
                    b[i] = momentum * b[i] + g / d;
                    theta[i] -= lr * b[i];
                }
                else theta[i] -= lr * g / d;
            }
            trajectory[t] = [.. theta];
        }
        return trajectory;
    }

    [Fact]
    public void ThreeSteps_MatchTheDocumentedEquation()
    {
        var actual = Quadratic.Run(p => new RmsProp([p], learningRate: 0.01), 3);
        // Step 1: v = 0.01·g², so θ1 = θ0 − 0.01·g/(0.1|g| + ε) ≈ θ0 − 0.1·sign(g) = [0.9, −1.9, 0.4]
        // (ε = 1e-8 against 0.1|g| ≥ 0.025 moves the third value by 4e-8).
        Assert.Equal([0.9, -1.9, 0.4], actual[0], new WorkedExamples.Tolerance(1e-7));
        Quadratic.AssertTrajectory(Reference(3, 0.01, 0.99, 1e-8, 0, 0, centered: false), actual, 1e-14);
    }

    [Fact]
    public void CenteredWithMomentumAndWeightDecay_MatchesTheDocumentedEquation()
    {
        var actual = Quadratic.Run(p => new RmsProp([p], learningRate: 0.01, alpha: 0.9, weightDecay: 0.1, momentum: 0.9, centered: true), 3);
        // Step 1 for θ[0]: g = 1.1, v = 0.121, ḡ = 0.11, d = √(0.121 − 0.0121) = √0.1089 = 0.33, b = 1.1/0.33 = 10/3,
        // θ1 = 1 − 0.01·10/3 = 0.96667.
        Assert.Equal(1 - 0.1 / 3, actual[0][0], 1e-8);
        Quadratic.AssertTrajectory(Reference(3, 0.01, 0.9, 1e-8, 0.1, 0.9, centered: true), actual, 1e-14);
    }

    [Theory]
    [InlineData(1.5, 0, "alpha")]
    [InlineData(0.99, -0.5, "momentum")]
    public void BadArguments_AreRejectedWithTheValue(double alpha, double momentum, string name)
    {
        var p = Tensor.Zeros(1).RequireGrad();
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new RmsProp([p], alpha: alpha, momentum: momentum));
        Assert.Equal(name, error.ParamName);
        Assert.Contains($"RmsProp: {name}", error.Message);
        Assert.Contains($"got {(name == "alpha" ? alpha : momentum)}", error.Message);
    }
}
