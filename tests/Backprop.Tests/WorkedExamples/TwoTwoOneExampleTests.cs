using Backprop.Losses;
using Backprop.NN;

namespace Backprop.Tests.WorkedExamples;

/// <summary>
/// The 2-2-1 example of shared/seeds/004: x = (.5, .1), y = .6, sigmoid everywhere, z1 = w11·x1 + w12·x2 + b1,
/// z2 = w21·x1 + w22·x2 + b2, ŷ = σ(w31·h1 + w32·h2 + b3), L = (ŷ − y)² (mean squared error of one output).
/// The expected gradients are derived by hand below with the chain rule on plain doubles.
/// </summary>
public class TwoTwoOneExampleTests
{
    private static double Sigma(double z) => 1 / (1 + Math.Exp(-z));

    [Fact]
    public void Gradients_MatchTheChainRuleDerivedByHand()
    {
        double x1 = .5, x2 = .1, y = .6, w11 = .4, w12 = .3, w21 = .6, w22 = .9, w31 = .5, w32 = .7, b1 = .1, b2 = .2, b3 = .3;
        // Forward: z1 = .33, z2 = .59, h = σ(z), z3 = w31·h1 + w32·h2 + b3, ŷ = σ(z3).
        double h1 = Sigma(w11 * x1 + w12 * x2 + b1), h2 = Sigma(w21 * x1 + w22 * x2 + b2);
        double yHat = Sigma(w31 * h1 + w32 * h2 + b3);
        // Output: ∂L/∂ŷ = 2(ŷ − y); ∂ŷ/∂z3 = ŷ(1 − ŷ); δ3 = their product; ∂L/∂w3j = δ3·hj; ∂L/∂b3 = δ3.
        double delta3 = 2 * (yHat - y) * yHat * (1 - yHat);
        // Hidden: δj = δ3·w3j·hj(1 − hj); ∂L/∂wjk = δj·xk; ∂L/∂bj = δj.
        double delta1 = delta3 * w31 * h1 * (1 - h1), delta2 = delta3 * w32 * h2 * (1 - h2);

        var hidden = new Dense(2, 2);
        var output = new Dense(2, 1);
        var model = new Sequential(hidden, new Sigmoid(), output, new Sigmoid()).To(DType.Float64);
        hidden.Weight.CopyFrom(Tensor.FromArray(new[] { w11, w12, w21, w22 }, 2, 2));
        hidden.Bias!.CopyFrom(Tensor.FromArray(new[] { b1, b2 }, 2));
        output.Weight.CopyFrom(Tensor.FromArray(new[] { w31, w32 }, 1, 2));
        output.Bias!.CopyFrom(Tensor.FromArray(new[] { b3 }, 1));

        var loss = new MseLoss().Forward(model.Forward(Tensor.FromArray(new[] { x1, x2 }, 1, 2)), Tensor.FromArray(new[] { y }, 1, 1));
        loss.Backward();

        Assert.Equal((yHat - y) * (yHat - y), loss.Item(), 15);
        Assert.Equal([delta3 * h1, delta3 * h2], output.Weight.Grad!.ToDoubleArray(), new Tolerance(1e-15));
        Assert.Equal(delta3, output.Bias.Grad!.Item(), 15);
        Assert.Equal([delta1 * x1, delta1 * x2, delta2 * x1, delta2 * x2], hidden.Weight.Grad!.ToDoubleArray(), new Tolerance(1e-15));
        Assert.Equal([delta1, delta2], hidden.Bias.Grad!.ToDoubleArray(), new Tolerance(1e-15));
    }
}

/// <summary>Compares doubles within an absolute tolerance, for Assert.Equal on arrays.</summary>
internal sealed class Tolerance(double absolute) : IEqualityComparer<double>
{
    public bool Equals(double x, double y) => Math.Abs(x - y) <= absolute;

    public int GetHashCode(double obj) => 0;
}
