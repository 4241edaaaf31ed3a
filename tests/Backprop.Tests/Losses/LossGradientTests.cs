using Backprop.Autograd;
using Backprop.Losses;

namespace Backprop.Tests.Losses;

/// <summary>Every loss against central finite differences in float64, for both prediction and target.</summary>
public class LossGradientTests
{
    private static void AssertGradients(Func<Tensor[], Tensor> function, params Tensor[] inputs)
    {
        var result = GradCheck.Run(function, inputs);
        Assert.True(result.Passed(1e-6), $"max relative error {result.MaxRelativeError:E2} at {result.WorstElement}");
    }

    private static Tensor Random(int seed, double low, double high, params int[] shape) => Tensor.RandomUniform(shape, seed, low, high, DType.Float64);

    [Theory]
    [InlineData(Reduction.Mean)]
    [InlineData(Reduction.Sum)]
    [InlineData(Reduction.None)]
    public void Backward_OfMseLoss_MatchesFiniteDifferences(Reduction reduction) =>
        AssertGradients(x => new MseLoss(reduction).Forward(x[0], x[1]), Random(1, -1, 1, 4, 3), Random(2, -1, 1, 4, 3));

    [Fact]
    public void Backward_OfSquaredErrorLoss_MatchesFiniteDifferences() =>
        AssertGradients(x => new SquaredErrorLoss().Forward(x[0], x[1]), Random(3, 0, 1, 2, 2), Random(4, 0, 1, 2, 2));

    [Theory]
    [InlineData(Reduction.Mean)]
    [InlineData(Reduction.Sum)]
    [InlineData(Reduction.None)]
    public void Backward_OfCrossEntropyWithSoftTargets_MatchesFiniteDifferences(Reduction reduction)
    {
        var targets = Random(5, 0.1, 1, 4, 3);
        AssertGradients(x => new CrossEntropyLoss(reduction).Forward(x[0], x[1]), Random(6, -2, 2, 4, 3), targets);
    }

    [Fact]
    public void Backward_OfCrossEntropyWithClassIndices_MatchesFiniteDifferences() =>
        AssertGradients(x => new CrossEntropyLoss().Forward(x[0], [2, 0, 1, 2]), Random(7, -3, 3, 4, 3));

    [Fact]
    public void Backward_OfBceLoss_MatchesFiniteDifferences() =>
        AssertGradients(x => new BceLoss().Forward(x[0], x[1]), Random(8, 0.05, 0.95, 3, 2), Random(9, 0, 1, 3, 2));

    [Theory]
    [InlineData(Reduction.Mean, 31.0 / 4)]
    [InlineData(Reduction.Sum, 31.0)]
    public void MseLoss_OfKnownErrors_IsTheirSquaresReduced(Reduction reduction, double expected)
    {
        // Errors 1, −2, 5, −1 by hand: squares 1, 4, 25, 1 sum to 31.
        var prediction = Tensor.FromArray(new[] { 1.0, 0.0, 7.0, 2.0 }, 2, 2);
        var target = Tensor.FromArray(new[] { 0.0, 2.0, 2.0, 3.0 }, 2, 2);
        Assert.Equal(expected, new MseLoss(reduction).Forward(prediction, target).Item(), 14);
        Assert.Equal(31.0 / 2, new SquaredErrorLoss().Forward(prediction, target).Item(), 14);
    }

    [Theory]
    [InlineData("MseLoss")]
    [InlineData("SquaredErrorLoss")]
    public void SquaredErrorLosses_OfDifferentDtypes_NameTheLossAndBothDtypes(string name)
    {
        Loss loss = name == "MseLoss" ? new MseLoss() : new SquaredErrorLoss();
        var error = Assert.Throws<ArgumentException>(() => loss.Forward(Tensor.Zeros(2, 2), Tensor.Zeros(2, 2).ToDType(DType.Float64)));
        Assert.Contains(name, error.Message);
        Assert.Contains("Float32", error.Message);
        Assert.Contains("Float64", error.Message);
    }

    [Fact]
    public void CrossEntropy_OfClassIndices_EqualsNegativeLogSoftmaxOfTheTrueClass()
    {
        var logits = Tensor.FromArray(new[] { 1.0, 2.0, 3.0, 1.0, 1.0, 1.0 }, 2, 3);
        double loss = new CrossEntropyLoss().Forward(logits, [2, 0]).Item();
        // By hand: row 0: −log(e³/(e+e²+e³)); row 1: −log(1/3); mean of the two.
        double row0 = -Math.Log(Math.Exp(3) / (Math.Exp(1) + Math.Exp(2) + Math.Exp(3)));
        double expected = (row0 + Math.Log(3)) / 2;
        Assert.Equal(expected, loss, 12);
    }

    [Fact]
    public void CrossEntropy_OfOneHotTensor_EqualsClassIndexForm()
    {
        var logits = Tensor.FromArray(new[] { 0.5, -1.0, 2.0, 0.1, 0.2, 0.3 }, 2, 3);
        var oneHot = Tensor.FromArray(new[] { 0.0, 0, 1, 0, 1, 0 }, 2, 3);
        var indices = Tensor.FromArray(new[] { 2.0, 1.0 }, 2);
        double expected = new CrossEntropyLoss().Forward(logits, [2, 1]).Item();
        Assert.Equal(expected, new CrossEntropyLoss().Forward(logits, oneHot).Item(), 14);
        Assert.Equal(expected, new CrossEntropyLoss().Forward(logits, indices).Item(), 14);
    }

    [Fact]
    public void CrossEntropy_OfExtremeLogits_IsFinite()
    {
        var logits = Tensor.FromArray(new float[] { 1000, -1000, 0, -1000, 1000, 0 }, 2, 3).RequireGrad();
        var loss = new CrossEntropyLoss().Forward(logits, [1, 0]);
        loss.Backward();
        // Each row puts all mass on the wrong class, by a margin of 2000: the loss is 2000 per row.
        Assert.Equal(2000, loss.Item(), 3);
        Assert.All(logits.Grad!.ToFloatArray(), g => Assert.True(float.IsFinite(g)));
    }

    [Fact]
    public void Bce_OfCertainPredictions_IsClampedNotInfinite()
    {
        var loss = new BceLoss().Forward(Tensor.FromArray(new[] { 0.0, 1.0 }, 2), Tensor.FromArray(new[] { 1.0, 0.0 }, 2));
        Assert.Equal(100, loss.Item(), 10); // PyTorch clamps each log at −100
    }

    [Fact]
    public void Losses_WithMismatchedShapes_NameBothShapes()
    {
        var error = Assert.Throws<ArgumentException>(() => new MseLoss().Forward(Tensor.Zeros(2, 3), Tensor.Zeros(3, 2)));
        Assert.Contains("[2, 3]", error.Message);
        Assert.Contains("[3, 2]", error.Message);
        var classError = Assert.Throws<ArgumentException>(() => new CrossEntropyLoss().Forward(Tensor.Zeros(2, 3), [0, 3]));
        Assert.Contains("class index 3", classError.Message);
        var bceError = Assert.Throws<ArgumentException>(() => new BceLoss().Forward(Tensor.FromArray(new[] { 1.5f }), Tensor.FromArray(new[] { 1f })));
        Assert.Contains("1.5", bceError.Message);
    }
}
