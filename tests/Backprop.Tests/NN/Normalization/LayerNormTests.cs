using Backprop.Autograd;
using Backprop.NN;

namespace Backprop.Tests.NN;

public class LayerNormTests
{
    private static LayerNorm WithRandomAffine(int[] normalizedShape, double epsilon = 1e-5)
    {
        var layer = new LayerNorm(normalizedShape, epsilon);
        layer.To(DType.Float64);
        layer.Weight!.CopyFrom(Tensor.RandomUniform(normalizedShape, seed: 1, low: 0.5, high: 2, dtype: DType.Float64));
        layer.Bias!.CopyFrom(Tensor.RandomNormal(normalizedShape, seed: 2, dtype: DType.Float64));
        return layer;
    }

    [Fact]
    public void Backward_OfLayerNorm_MatchesFiniteDifferences()
    {
        var layer = WithRandomAffine([3, 2]);
        var x = Tensor.RandomNormal([2, 2, 3, 2], seed: 3, mean: 1, std: 2, dtype: DType.Float64).RequireGrad();
        var result = GradCheck.Run(() => layer.Forward(x).Tanh(), [x, layer.Weight!, layer.Bias!]);
        Assert.True(result.Passed(1e-6), result.WorstElement);
    }

    [Fact]
    public void LayerNorm_NormalizesEachSampleOverTheTrailingDimensions()
    {
        const double epsilon = 1e-3;
        var layer = WithRandomAffine([4], epsilon);
        var x = Tensor.RandomNormal([3, 4], seed: 4, mean: -3, std: 2, dtype: DType.Float64);
        var values = x.ToDoubleArray();
        var gamma = layer.Weight!.ToDoubleArray();
        var beta = layer.Bias!.ToDoubleArray();
        // Mean and biased variance of each row, by plain loops.
        var expected = new double[values.Length];
        for (int row = 0; row < 3; row++)
        {
            double mean = 0, variance = 0;
            for (int j = 0; j < 4; j++) mean += values[row * 4 + j] / 4;
            for (int j = 0; j < 4; j++) variance += Math.Pow(values[row * 4 + j] - mean, 2) / 4;
            for (int j = 0; j < 4; j++)
                expected[row * 4 + j] = gamma[j] * (values[row * 4 + j] - mean) / Math.Sqrt(variance + epsilon) + beta[j];
        }
        Assert.Equal(expected, layer.Forward(x).ToDoubleArray(), new WorkedExamples.Tolerance(1e-12));
        layer.Eval();
        Assert.Equal(expected, layer.Forward(x).ToDoubleArray(), new WorkedExamples.Tolerance(1e-12));
    }

    [Fact]
    public void LayerNorm_HasPyTorchsParameterNamesAndShapes()
    {
        var layer = new LayerNorm([3, 5]);
        Assert.Equal([("weight", "3x5"), ("bias", "3x5")], layer.NamedParameters().Select(p => (p.Name, string.Join("x", p.Parameter.Shape))));
        Assert.Empty(new LayerNorm([3], elementwiseAffine: false).NamedParameters());
    }

    [Fact]
    public void LayerNorm_FedOtherTrailingDimensions_NamesBothShapes()
    {
        var error = Assert.Throws<ArgumentException>(() => new LayerNorm([4, 5]).Forward(Tensor.Zeros(2, 3, 5)));
        Assert.Contains("LayerNorm([4, 5])", error.Message);
        Assert.Contains("[*, 4, 5]", error.Message);
        Assert.Contains("[2, 3, 5]", error.Message);
    }

    [Fact]
    public void LayerNorm_WithABadConstructorArgument_QuotesTheValue()
    {
        Assert.Contains("[4, 0]", Assert.Throws<ArgumentOutOfRangeException>(() => new LayerNorm([4, 0])).Message);
        Assert.Contains("-1", Assert.Throws<ArgumentOutOfRangeException>(() => new LayerNorm([4], epsilon: -1)).Message);
        Assert.Throws<ArgumentException>(() => new LayerNorm([]));
    }
}
