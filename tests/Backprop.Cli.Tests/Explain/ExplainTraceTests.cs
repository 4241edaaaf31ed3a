using Backprop.Cli.Explain;

namespace Backprop.Cli.Tests.Explain;

public class ExplainTraceTests
{
    private static readonly ExplainTrace Classic = ExplainTrace.Record(WorkedNetwork.ClassicTutorial());

    /// <summary>The tutorial prints its figures to 9 decimal places; the exact value must round to them.</summary>
    private static void AssertNineDecimals(double expected, double actual) => Assert.Equal(expected, Math.Round(actual, 9));

    private static ParameterTrace Parameter(ExplainTrace trace, string name, string to) =>
        trace.Parameters.Single(p => p.Name == name && p.To == to);

    private static ParameterTrace Weight(ExplainTrace trace, string name) => trace.Parameters.Single(p => p.Name == name);

    private static NeuronTrace Neuron(ExplainTrace trace, string name) => trace.Neurons.Single(n => n.Name == name);

    [Fact]
    public void Classic_ReproducesTheTutorialsFigures()
    {
        // All five figures are the classic tutorial's (shared/seeds/003), printed to 9 decimal places.
        AssertNineDecimals(0.298371109, Classic.TotalError);
        AssertNineDecimals(0.082167041, Weight(Classic, "w5").Gradient);
        AssertNineDecimals(0.000438568, Weight(Classic, "w1").Gradient);
        AssertNineDecimals(0.358916480, Weight(Classic, "w5").Updated);
        AssertNineDecimals(0.149780716, Weight(Classic, "w1").Updated);
    }

    [Fact]
    public void Classic_ForwardPassAndFactorsOfW5_AreTheTutorials()
    {
        // The tutorial's intermediate figures: out_h1, out_o1, ∂E/∂out_o1, ∂out_o1/∂net_o1.
        AssertNineDecimals(0.593269992, Neuron(Classic, "h1").Out);
        AssertNineDecimals(0.751365070, Neuron(Classic, "o1").Out);
        var w5 = Weight(Classic, "w5");
        AssertNineDecimals(0.741365070, w5.DErrorDOut);
        AssertNineDecimals(0.186815602, w5.DOutDNet);
        AssertNineDecimals(0.593269992, w5.DNetDParameter);
        Assert.Equal(["w1", "w2", "w3", "w4", "w5", "w6", "w7", "w8"], Classic.Parameters.Select(p => p.Name));
        Assert.Equal(["i1", "i2", "i1", "i2", "h1", "h2", "h1", "h2"], Classic.Parameters.Select(p => p.From));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Factors_MultiplyToAutogradsGradient(bool trainBiases)
    {
        var trace = ExplainTrace.Record(WorkedNetwork.ClassicTutorial(), new ExplainOptions(TrainBiases: trainBiases));
        foreach (var p in trace.Parameters)
        {
            double product = p.DErrorDOut * p.DOutDNet * p.DNetDParameter;
            Assert.True(Math.Abs(product - p.Gradient) <= 1e-15 * Math.Max(1, Math.Abs(p.Gradient)), $"{p.Name}→{p.To}: {product} vs {p.Gradient}");
            Assert.Equal(p.Value - trace.LearningRate * p.Gradient, p.Updated, 15);
        }
    }

    [Fact]
    public void NeuronFactors_AgreeWithTheGradientsAutogradLeftOnNetAndOut()
    {
        foreach (var n in Classic.Neurons)
        {
            // δ = ∂E/∂out · ∂out/∂net, with the slope taken from the recorded output and δ from net.Grad.
            Assert.Equal(n.DErrorDNet, n.DErrorDOut * n.DOutDNet, 15);
            if (n.Layer == 0) Assert.Equal(n.DErrorDOut, n.ErrorPaths.Sum(path => path.Term), 15);
        }
        Assert.Equal(["o1", "o2"], Neuron(Classic, "h1").ErrorPaths.Select(path => path.Through));
        Assert.Equal(["w5", "w7"], Neuron(Classic, "h1").ErrorPaths.Select(path => path.WeightName));
        Assert.Empty(Neuron(Classic, "o1").ErrorPaths);
    }

    [Fact]
    public void Classic_OutputErrorsSumToTheTotal()
    {
        // E_o1 = 0.274811083 and E_o2 = 0.023560026 in the tutorial.
        AssertNineDecimals(0.274811083, Classic.Errors[0].Error);
        AssertNineDecimals(0.023560026, Classic.Errors[1].Error);
        Assert.Equal(Classic.TotalError, Classic.Errors.Sum(e => e.Error), 15);
    }

    [Fact]
    public void Classic_HoldsBiasesFixed_UnlessAskedToTrainThem()
    {
        Assert.DoesNotContain(Classic.Parameters, p => p.From == "1");
        var steps = ExplainTrace.Record(WorkedNetwork.ClassicTutorial(), new ExplainOptions(Steps: 3));
        var withBiases = ExplainTrace.Record(WorkedNetwork.ClassicTutorial(), new ExplainOptions(TrainBiases: true, Steps: 3));

        var biases = withBiases.Parameters.Where(p => p.From == "1").ToArray();
        Assert.Equal([("b1", "h1"), ("b1", "h2"), ("b2", "o1"), ("b2", "o2")], biases.Select(b => (b.Name, b.To)));
        Assert.All(biases, b => Assert.NotEqual(b.Value, b.Updated));
        // Same weight gradients on the first step; training the biases as well changes where training goes.
        Assert.Equal(Classic.Parameters.Select(p => p.Gradient), withBiases.Parameters.Take(8).Select(p => p.Gradient));
        Assert.NotEqual(steps.Training!.TotalError, withBiases.Training!.TotalError);
    }

    [Fact]
    public void Steps_TrainTrueGradientDescent()
    {
        var one = ExplainTrace.Record(WorkedNetwork.ClassicTutorial(), new ExplainOptions(Steps: 1));
        // E after one update with all gradients taken first; the tutorial's 0.291027924 used updated output weights.
        Assert.Equal(PlainClassic.ErrorAfter(1), one.Training!.TotalError, 12);
        Assert.NotEqual(0.291027924, Math.Round(one.Training.TotalError, 9));

        var many = ExplainTrace.Record(WorkedNetwork.ClassicTutorial(), new ExplainOptions(Steps: 1000));
        Assert.Equal(PlainClassic.ErrorAfter(1000), many.Training!.TotalError, 12);
        Assert.Equal(1000, many.Training.Steps);
        Assert.Equal(many.Training.TotalError, many.Training.Outputs.Sum(o => o.Error), 15);
    }

    [Fact]
    public void LearningRateOption_OverridesTheExamples()
    {
        var trace = ExplainTrace.Record(WorkedNetwork.ClassicTutorial(), new ExplainOptions(LearningRate: 0.1));
        Assert.Equal(0.1, trace.LearningRate);
        Assert.Equal(0.40 - 0.1 * Weight(trace, "w5").Gradient, Weight(trace, "w5").Updated, 15);
    }

    [Theory]
    [InlineData(0.0, 0)]
    [InlineData(-0.5, 0)]
    [InlineData(double.NaN, 0)]
    [InlineData(double.PositiveInfinity, 0)]
    [InlineData(0.5, -1)]
    public void BadOptions_AreRejectedWithTheValue(double learningRate, int steps)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() =>
            ExplainTrace.Record(WorkedNetwork.ClassicTutorial(), new ExplainOptions(learningRate, Steps: steps)));
        Assert.Contains("explain:", error.Message);
    }

    [Fact]
    public void TwoTwoOne_GradientsMatchTheChainRuleByHand()
    {
        double x1 = .5, x2 = .1, y = .6, w11 = .4, w12 = .3, w21 = .6, w22 = .9, w31 = .5, w32 = .7, b1 = .1, b2 = .2, b3 = .3;
        static double Sigma(double z) => 1 / (1 + Math.Exp(-z));
        double h1 = Sigma(w11 * x1 + w12 * x2 + b1), h2 = Sigma(w21 * x1 + w22 * x2 + b2);
        double yHat = Sigma(w31 * h1 + w32 * h2 + b3);
        // L = (ŷ − y)²: ∂L/∂ŷ = 2(ŷ − y); δ3 = ∂L/∂ŷ · ŷ(1 − ŷ); δj = δ3·w3j·hj(1 − hj).
        double delta3 = 2 * (yHat - y) * yHat * (1 - yHat);
        double delta1 = delta3 * w31 * h1 * (1 - h1), delta2 = delta3 * w32 * h2 * (1 - h2);

        var trace = ExplainTrace.Record(WorkedNetwork.TwoTwoOne());

        Assert.True(trace.TrainBiases);
        Assert.Equal(0.1, trace.LearningRate);
        Assert.Equal((yHat - y) * (yHat - y), trace.TotalError, 15);
        Assert.Equal(2 * (yHat - y), Neuron(trace, "ŷ").DErrorDOut, 15);
        var expected = new Dictionary<(string, string), double>
        {
            [("w11", "h1")] = delta1 * x1, [("w12", "h1")] = delta1 * x2, [("w21", "h2")] = delta2 * x1, [("w22", "h2")] = delta2 * x2,
            [("w31", "ŷ")] = delta3 * h1, [("w32", "ŷ")] = delta3 * h2, [("b1", "h1")] = delta1, [("b2", "h2")] = delta2, [("b3", "ŷ")] = delta3,
        };
        Assert.Equal(expected.Count, trace.Parameters.Count);
        foreach (var ((name, to), gradient) in expected)
        {
            var p = Parameter(trace, name, to);
            Assert.Equal(gradient, p.Gradient, 15);
            Assert.Equal(p.Value - 0.1 * gradient, p.Updated, 15);
        }
        Assert.Null(trace.Note);
    }
}
