using Backprop.Autograd;
using Backprop.NN;

namespace Backprop.Tests.NN;

public class DenseTests
{
    [Fact]
    public void Dense_HasPyTorchLayoutAndNames()
    {
        var model = new Sequential(new Dense(3, 4), new ReLU(), new Dense(4, 2, bias: false));
        var named = model.NamedParameters().Select(p => (p.Name, string.Join("x", p.Parameter.Shape))).ToArray();
        Assert.Equal([("0.weight", "4x3"), ("0.bias", "4"), ("2.weight", "2x4")], named);
        Assert.All(model.Parameters(), p => Assert.True(p.RequiresGrad));
    }

    [Fact]
    public void Dense_DefaultInitialisation_IsPyTorchsUniformBound()
    {
        var layer = new Dense(100, 50, seed: 1);
        double bound = 1 / Math.Sqrt(100); // PyTorch Linear: kaiming_uniform(a=√5) gives U(±1/√fan_in); bias likewise
        Assert.All(layer.Weight.ToDoubleArray(), w => Assert.InRange(Math.Abs(w), 0, bound));
        Assert.All(layer.Bias!.ToDoubleArray(), b => Assert.InRange(Math.Abs(b), 0, bound));
        // The variance of U(±b) is b²/3; with 5000 draws the sample variance is within 10% of it.
        var w = layer.Weight.ToDoubleArray();
        Assert.InRange(w.Select(v => v * v).Average(), 0.9 * bound * bound / 3, 1.1 * bound * bound / 3);
    }

    [Fact]
    public void Dense_IsDeterministicForASeed_AndForTheThreadGenerator()
    {
        Assert.Equal(new Dense(5, 3, seed: 4).Weight.ToFloatArray(), new Dense(5, 3, seed: 4).Weight.ToFloatArray());
        Rng.ManualSeed(11);
        var first = new Dense(5, 3).Weight.ToFloatArray();
        Rng.ManualSeed(11);
        Assert.Equal(first, new Dense(5, 3).Weight.ToFloatArray());
    }

    [Fact]
    public void Dense_FedTheWrongWidth_NamesExpectedAndActualShapes()
    {
        var error = Assert.Throws<ArgumentException>(() => new Dense(3, 2).Forward(Tensor.Zeros(5, 4)));
        Assert.Contains("[batch, 3]", error.Message);
        Assert.Contains("[5, 4]", error.Message);
    }

    [Theory]
    [InlineData(0, 2)]
    [InlineData(3, -1)]
    public void Dense_WithANonPositiveSize_QuotesTheValue(int inputs, int outputs)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new Dense(inputs, outputs));
        Assert.Contains(Math.Min(inputs, outputs).ToString(), error.Message);
    }

    [Fact]
    public void Dense_ForwardEqualsXWTransposedPlusB()
    {
        var layer = new Dense(2, 3, seed: 0).To(DType.Float64);
        var dense = (Dense)layer;
        var x = Tensor.FromArray(new[] { 1.0, 2, 3, 4 }, 2, 2);
        var expected = x.MatMul(dense.Weight.Transpose()) + dense.Bias!;
        Assert.Equal(expected.ToDoubleArray(), layer.Forward(x).ToDoubleArray(), new WorkedExamples.Tolerance(1e-15));
    }

    [Fact]
    public void Backward_OfAWholeNetwork_MatchesFiniteDifferences()
    {
        var model = new Sequential(new Dense(3, 4, seed: 1), new Tanh(), new Dense(4, 4, seed: 2), new GELU(), new Dense(4, 2, seed: 3), new Sigmoid()).To(DType.Float64);
        var x = Tensor.RandomUniform([5, 3], seed: 4, low: -1, high: 1, dtype: DType.Float64);
        var result = GradCheck.Run(() => model.Forward(x), model.Parameters().ToArray());
        Assert.True(result.Passed(1e-6), result.WorstElement);
    }

    [Fact]
    public void TrainAndEval_PropagateToChildren()
    {
        var inner = new Dense(1, 1);
        var model = new Sequential(inner);
        model.Eval();
        Assert.False(inner.IsTraining);
        model.Train();
        Assert.True(inner.IsTraining);
    }

    [Fact]
    public void To_ConvertsEveryParameter()
    {
        var model = new Sequential(new Dense(2, 2), new Dense(2, 1)).To(DType.Float64);
        Assert.All(model.Parameters(), p => Assert.Equal(DType.Float64, p.DType));
        Assert.Equal(DType.Float64, model.DType);
    }

    [Fact]
    public void Init_XavierAndKaiming_HaveTheirDocumentedSpread()
    {
        var w = Tensor.Zeros(DType.Float64, 200, 300);
        Init.XavierUniform(w, new Random(1));
        double xavierBound = Math.Sqrt(6.0 / 500); // Glorot & Bengio 2010
        Assert.All(w.ToDoubleArray(), v => Assert.InRange(Math.Abs(v), 0, xavierBound));
        Init.KaimingNormal(w, new Random(2));
        double variance = w.ToDoubleArray().Select(v => v * v).Average();
        Assert.InRange(variance, 0.95 * 2.0 / 300, 1.05 * 2.0 / 300); // He et al. 2015: Var = 2/fan_in
        Init.XavierNormal(w, new Random(3));
        Assert.InRange(w.ToDoubleArray().Select(v => v * v).Average(), 0.95 * 2.0 / 500, 1.05 * 2.0 / 500);
        Init.KaimingUniform(w, new Random(4));
        Assert.All(w.ToDoubleArray(), v => Assert.InRange(Math.Abs(v), 0, Math.Sqrt(6.0 / 300)));
    }
}
