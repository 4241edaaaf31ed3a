using Backprop.Losses;
using Backprop.NN;
using Backprop.Optimizers;

namespace Backprop.Tests.WorkedExamples;

/// <summary>
/// The 2-2-2 sigmoid network of the classic backpropagation tutorial (shared/seeds/003): inputs .05 .10,
/// weights w1..w8 = .15 .20 .25 .30 .40 .45 .50 .55, biases .35 (hidden) and .60 (output), targets .01 .99,
/// E = Σ ½(t − o)², learning rate .5. Reference values are the tutorial's, printed to 9 decimal places.
/// </summary>
public class ClassicTutorialTests
{
    internal static (Sequential Model, Tensor Input, Tensor Target) Build()
    {
        var hidden = new Dense(2, 2);
        var output = new Dense(2, 2);
        var model = new Sequential(hidden, new Sigmoid(), output, new Sigmoid());
        model.To(DType.Float64);
        // Dense weights are [out, in]: row j holds neuron j's incoming weights (h1: w1 w2, h2: w3 w4).
        hidden.Weight.CopyFrom(Tensor.FromArray(new[] { .15, .20, .25, .30 }, 2, 2));
        hidden.Bias!.CopyFrom(Tensor.FromArray(new[] { .35, .35 }, 2));
        output.Weight.CopyFrom(Tensor.FromArray(new[] { .40, .45, .50, .55 }, 2, 2));
        output.Bias!.CopyFrom(Tensor.FromArray(new[] { .60, .60 }, 2));
        return (model, Tensor.FromArray(new[] { .05, .10 }, 1, 2), Tensor.FromArray(new[] { .01, .99 }, 1, 2));
    }

    /// <summary>The tutorial prints its figures to 9 decimal places; the exact value must round to them.</summary>
    private static void AssertNineDecimals(double expected, double actual) => Assert.Equal(expected, Math.Round(actual, 9));

    [Fact]
    public void ForwardAndBackward_ReproduceTheTutorialsNumbers()
    {
        var (model, input, target) = Build();
        var hiddenWeight = model.NamedParameters().Single(p => p.Name == "0.weight").Parameter;
        var outputWeight = model.NamedParameters().Single(p => p.Name == "2.weight").Parameter;

        var error = new SquaredErrorLoss().Forward(model.Forward(input), target);
        error.Backward();

        AssertNineDecimals(0.298371109, error.Item());
        AssertNineDecimals(0.082167041, outputWeight.Grad![0, 0]); // ∂E/∂w5
        AssertNineDecimals(0.000438568, hiddenWeight.Grad![0, 0]); // ∂E/∂w1
    }

    [Fact]
    public void OneSgdStep_GivesTheTutorialsUpdatedWeights()
    {
        var (model, input, target) = Build();
        var weights = model.NamedParameters().Where(p => p.Name.EndsWith("weight")).Select(p => p.Parameter).ToArray();
        new SquaredErrorLoss().Forward(model.Forward(input), target).Backward();
        new Sgd(weights, learningRate: 0.5).Step();

        AssertNineDecimals(0.358916480, weights[1][0, 0]); // w5⁺
        AssertNineDecimals(0.149780716, weights[0][0, 0]); // w1⁺
    }

    [Fact]
    public void Float32_AgreesWithFloat64_To1e5Relative()
    {
        var (model64, input, target) = Build();
        new SquaredErrorLoss().Forward(model64.Forward(input), target).Backward();
        var (model32, input32, target32) = Build();
        model32.To(DType.Float32);
        var loss32 = new SquaredErrorLoss().Forward(model32.Forward(input32.ToDType(DType.Float32)), target32.ToDType(DType.Float32));
        loss32.Backward();

        foreach (var ((name, p64), (_, p32)) in model64.NamedParameters().Zip(model32.NamedParameters()))
        {
            var g64 = p64.Grad!.ToDoubleArray();
            var g32 = p32.Grad!.ToDoubleArray();
            for (int i = 0; i < g64.Length; i++)
                Assert.True(Math.Abs(g64[i] - g32[i]) <= 1e-5 * Math.Abs(g64[i]), $"{name}[{i}]: {g64[i]} vs {g32[i]}");
        }
    }
}
