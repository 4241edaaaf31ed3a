using Backprop.Optimizers;

namespace Backprop.Tests.Optimizers;

/// <summary>The test problem f(θ) = ½ Σ aᵢθᵢ², whose gradient aᵢθᵢ is known in closed form.</summary>
internal static class Quadratic
{
    public static readonly double[] Start = [1.0, -2.0, 0.5];
    public static readonly double[] Curvature = [1.0, 3.0, 0.5];

    /// <summary>Takes <paramref name="steps"/> optimiser steps from <see cref="Start"/> and returns θ after each.</summary>
    public static double[][] Run(Func<Tensor, Optimizer> create, int steps, DType dtype = DType.Float64)
    {
        var theta = Tensor.FromArray(Start, 3).ToDType(dtype).RequireGrad();
        var optimizer = create(theta);
        var trajectory = new double[steps][];
        for (int t = 0; t < steps; t++)
        {
            StepOnce(theta, optimizer);
            trajectory[t] = theta.ToDoubleArray();
        }
        return trajectory;
    }

    public static void StepOnce(Tensor theta, Optimizer optimizer)
    {
        optimizer.ZeroGrad();
        ((theta * theta * Tensor.FromArray(Curvature, 3).ToDType(theta.DType)).Sum() * 0.5).Backward();
        optimizer.Step();
    }

    /// <summary>Asserts each step's θ against the reference trajectory, naming the step that differs.</summary>
    public static void AssertTrajectory(double[][] expected, double[][] actual, double tolerance)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int t = 0; t < expected.Length; t++)
            for (int i = 0; i < expected[t].Length; i++)
                Assert.True(Math.Abs(expected[t][i] - actual[t][i]) <= tolerance,
                    $"step {t + 1}, θ[{i}]: expected {expected[t][i]:R}, got {actual[t][i]:R}");
    }
}
