using Backprop.Autograd;
using Backprop.NN;

namespace Backprop.Tests.NN;

public class BatchNormTests
{
    /// <summary>A float64 layer with γ and β away from 1 and 0, so their gradients and effects are visible.</summary>
    private static TLayer WithRandomAffine<TLayer>(TLayer layer, int seed) where TLayer : BatchNorm
    {
        layer.To(DType.Float64);
        layer.Weight!.CopyFrom(Tensor.RandomUniform([layer.NumFeatures], seed, low: 0.5, high: 2, dtype: DType.Float64));
        layer.Bias!.CopyFrom(Tensor.RandomNormal([layer.NumFeatures], seed + 1, dtype: DType.Float64));
        return layer;
    }

    /// <summary>Per-channel mean and biased variance of x [N, C, …], by plain loops.</summary>
    private static (double[] Mean, double[] Variance, int PerChannel) ChannelStatistics(Tensor x)
    {
        int[] shape = x.Shape;
        int batch = shape[0], channels = shape[1], inner = x.Length / (batch * channels);
        var values = x.ToDoubleArray();
        var mean = new double[channels];
        var variance = new double[channels];
        int perChannel = batch * inner;
        for (int c = 0; c < channels; c++)
        {
            for (int n = 0; n < batch; n++)
                for (int s = 0; s < inner; s++) mean[c] += values[(n * channels + c) * inner + s];
            mean[c] /= perChannel;
            for (int n = 0; n < batch; n++)
                for (int s = 0; s < inner; s++) variance[c] += Math.Pow(values[(n * channels + c) * inner + s] - mean[c], 2);
            variance[c] /= perChannel;
        }
        return (mean, variance, perChannel);
    }

    /// <summary>γ·(x − mean)/√(variance + ε) + β, element by element.</summary>
    private static double[] Normalize(Tensor x, double[] mean, double[] variance, double[] gamma, double[] beta, double epsilon)
    {
        int[] shape = x.Shape;
        int channels = shape[1], inner = x.Length / (shape[0] * channels);
        var values = x.ToDoubleArray();
        for (int i = 0; i < values.Length; i++)
        {
            int c = i / inner % channels;
            values[i] = gamma[c] * (values[i] - mean[c]) / Math.Sqrt(variance[c] + epsilon) + beta[c];
        }
        return values;
    }

    [Theory]
    [InlineData(new[] { 5, 3 })]
    [InlineData(new[] { 3, 2, 4 })]
    public void Backward_OfBatchNorm1dInTraining_MatchesFiniteDifferences(int[] shape)
    {
        var layer = WithRandomAffine(new BatchNorm1d(shape[1]), seed: 1);
        var x = Tensor.RandomNormal(shape, seed: 3, mean: 2, std: 3, dtype: DType.Float64).RequireGrad();
        var result = GradCheck.Run(() => layer.Forward(x).Tanh(), [x, layer.Weight!, layer.Bias!]);
        Assert.True(result.Passed(1e-6), result.WorstElement);
    }

    [Fact]
    public void Backward_OfBatchNorm2dInTraining_MatchesFiniteDifferences()
    {
        var layer = WithRandomAffine(new BatchNorm2d(3), seed: 1);
        var x = Tensor.RandomNormal([2, 3, 3, 2], seed: 4, mean: -1, std: 2, dtype: DType.Float64).RequireGrad();
        var result = GradCheck.Run(() => layer.Forward(x).Tanh(), [x, layer.Weight!, layer.Bias!]);
        Assert.True(result.Passed(1e-6), result.WorstElement);
    }

    [Fact]
    public void Backward_OfBatchNorm2dInEval_MatchesFiniteDifferences()
    {
        var layer = WithRandomAffine(new BatchNorm2d(2), seed: 1);
        layer.RunningMean!.CopyFrom(Tensor.FromArray(new[] { 0.5, -1.0 }, 2));
        layer.RunningVar!.CopyFrom(Tensor.FromArray(new[] { 2.0, 0.25 }, 2));
        layer.Eval();
        var x = Tensor.RandomNormal([2, 2, 2, 2], seed: 5, dtype: DType.Float64).RequireGrad();
        var result = GradCheck.Run(() => layer.Forward(x).Tanh(), [x, layer.Weight!, layer.Bias!]);
        Assert.True(result.Passed(1e-6), result.WorstElement);
    }

    [Fact]
    public void BatchNorm2d_InTraining_NormalizesWithTheBatchsBiasedVariance()
    {
        var layer = WithRandomAffine(new BatchNorm2d(3, epsilon: 1e-3), seed: 2);
        var x = Tensor.RandomNormal([4, 3, 2, 3], seed: 6, mean: 5, std: 2, dtype: DType.Float64);
        var (mean, variance, _) = ChannelStatistics(x);
        var expected = Normalize(x, mean, variance, layer.Weight!.ToDoubleArray(), layer.Bias!.ToDoubleArray(), 1e-3);
        Assert.Equal(expected, layer.Forward(x).ToDoubleArray(), new WorkedExamples.Tolerance(1e-12));
    }

    [Fact]
    public void BatchNorm2d_DocExample_GivesZeroMeanUnitVariancePerChannel()
    {
        var maps = new BatchNorm2d(16).Forward(Tensor.RandomNormal([8, 16, 28, 28], seed: 0));
        Assert.Equal([8, 16, 28, 28], maps.Shape);
        var (mean, variance, _) = ChannelStatistics(maps);
        // ε = 1e-5 against a variance near 1 leaves the normalised variance 1 − 1e-5; float32 rounding is smaller.
        Assert.All(mean, m => Assert.InRange(m, -1e-5, 1e-5));
        Assert.All(variance, v => Assert.InRange(v, 1 - 1e-4, 1));
    }

    [Fact]
    public void BatchNorm1d_InFloat32_AgreesWithFloat64()
    {
        var x = Tensor.RandomNormal([16, 4], seed: 7, mean: 100, std: 0.5);
        var single = new BatchNorm1d(4).Forward(x).ToDoubleArray();
        var reference = new BatchNorm1d(4).To(DType.Float64).Forward(x.ToDType(DType.Float64)).ToDoubleArray();
        Assert.Equal(reference, single, new WorkedExamples.Tolerance(1e-4));
    }

    [Fact]
    public void RunningStatistics_AfterTwoBatches_FollowTheMomentumRuleWithUnbiasedVariance()
    {
        const double momentum = 0.3;
        var layer = new BatchNorm2d(2, momentum: momentum).To(DType.Float64);
        var batches = new[]
        {
            Tensor.RandomNormal([3, 2, 2, 2], seed: 8, mean: 1, std: 2, dtype: DType.Float64),
            Tensor.RandomNormal([3, 2, 2, 2], seed: 9, mean: -2, std: 0.5, dtype: DType.Float64),
        };
        // PyTorch's rule, by hand from the initial running mean 0 and running variance 1.
        double[] runningMean = [0, 0], runningVar = [1, 1];
        foreach (var batch in batches)
        {
            layer.Forward(batch);
            var (mean, variance, perChannel) = ChannelStatistics(batch);
            for (int c = 0; c < 2; c++)
            {
                runningMean[c] = (1 - momentum) * runningMean[c] + momentum * mean[c];
                runningVar[c] = (1 - momentum) * runningVar[c] + momentum * variance[c] * perChannel / (perChannel - 1);
            }
        }
        var named = ((Module)layer).NamedBuffers().ToDictionary(b => b.Name, b => b.Buffer);
        Assert.Equal(runningMean, named["running_mean"].ToDoubleArray(), new WorkedExamples.Tolerance(1e-14));
        Assert.Equal(runningVar, named["running_var"].ToDoubleArray(), new WorkedExamples.Tolerance(1e-14));
        Assert.Equal(2, named["num_batches_tracked"].Item());
    }

    [Fact]
    public void BatchNorm1d_InEval_UsesTheRunningStatistics_AndLeavesThemAlone()
    {
        var layer = WithRandomAffine(new BatchNorm1d(3, epsilon: 1e-2), seed: 3);
        double[] runningMean = [1, -2, 0.5], runningVar = [4, 0.5, 1.5];
        layer.RunningMean!.CopyFrom(Tensor.FromArray(runningMean, 3));
        layer.RunningVar!.CopyFrom(Tensor.FromArray(runningVar, 3));
        layer.Eval();
        var x = Tensor.RandomNormal([1, 3], seed: 10, dtype: DType.Float64);
        var expected = Normalize(x, runningMean, runningVar, layer.Weight!.ToDoubleArray(), layer.Bias!.ToDoubleArray(), 1e-2);
        Assert.Equal(expected, layer.Forward(x).ToDoubleArray(), new WorkedExamples.Tolerance(1e-14));
        Assert.Equal(runningMean, layer.RunningMean.ToDoubleArray());
        Assert.Equal(0, layer.NumBatchesTracked!.Item());
    }

    [Fact]
    public void BatchNorm_WithoutRunningStatistics_HasNoBuffers_AndUsesBatchStatisticsInEval()
    {
        var layer = new BatchNorm1d(2, affine: false, trackRunningStats: false).To(DType.Float64);
        Assert.Empty(layer.NamedParameters());
        Assert.Empty(layer.NamedBuffers());
        layer.Eval();
        var x = Tensor.RandomNormal([6, 2], seed: 11, mean: 3, dtype: DType.Float64);
        var (mean, variance, _) = ChannelStatistics(x);
        var expected = Normalize(x, mean, variance, [1, 1], [0, 0], 1e-5);
        Assert.Equal(expected, layer.Forward(x).ToDoubleArray(), new WorkedExamples.Tolerance(1e-12));
    }

    [Fact]
    public void BatchNorm_HasPyTorchsParameterAndBufferNames()
    {
        var model = new Sequential(new Dense(4, 3), new BatchNorm1d(3));
        Assert.Equal(["0.weight", "0.bias", "1.weight", "1.bias"], model.NamedParameters().Select(p => p.Name));
        Assert.Equal(["1.running_mean", "1.running_var", "1.num_batches_tracked"], model.NamedBuffers().Select(b => b.Name));
        var layer = (BatchNorm1d)model[1];
        Assert.Equal([1f, 1, 1], layer.Weight!.ToFloatArray());
        Assert.Equal([0f, 0, 0], layer.Bias!.ToFloatArray());
        Assert.Equal([1f, 1, 1], layer.RunningVar!.ToFloatArray());
        Assert.Equal(DType.Float64, layer.NumBatchesTracked!.DType);
    }

    [Fact]
    public void To_ConvertsTheStatistics_ButLeavesTheBatchCounterInFloat64()
    {
        var layer = new BatchNorm1d(3);
        layer.Forward(Tensor.RandomNormal([4, 3], seed: 1));
        layer.To(DType.Float64).To(DType.Float32);
        Assert.Equal(DType.Float32, layer.RunningMean!.DType);
        Assert.Equal(DType.Float64, layer.NumBatchesTracked!.DType);
        Assert.Equal(1, layer.NumBatchesTracked.Item());
    }

    [Fact]
    public void BatchNorm2d_FedTheWrongChannelCount_NamesTheLayerAndBothShapes()
    {
        var error = Assert.Throws<ArgumentException>(() => new BatchNorm2d(3).Forward(Tensor.Zeros(2, 4, 5, 5)));
        Assert.Contains("BatchNorm2d(3)", error.Message);
        Assert.Contains("[N, 3, H, W]", error.Message);
        Assert.Contains("[2, 4, 5, 5]", error.Message);
    }

    [Fact]
    public void BatchNorm1d_FedAFourDimensionalInput_NamesTheShapesItAccepts()
    {
        var error = Assert.Throws<ArgumentException>(() => new BatchNorm1d(3).Forward(Tensor.Zeros(2, 3, 4, 4)));
        Assert.Contains("[N, 3] or [N, 3, L]", error.Message);
        Assert.Contains("[2, 3, 4, 4]", error.Message);
    }

    [Fact]
    public void BatchNorm_InTrainingWithOneValuePerChannel_FailsAsPyTorchDoes_ButWorksInEval()
    {
        var layer = new BatchNorm1d(3);
        var error = Assert.Throws<ArgumentException>(() => layer.Forward(Tensor.Ones(1, 3)));
        Assert.Contains("Expected more than 1 value per channel when training", error.Message);
        layer.Eval();
        Assert.Equal([1, 3], layer.Forward(Tensor.Ones(1, 3)).Shape);
    }

    [Theory]
    [InlineData(0, 1e-5, 0.1, "0")]
    [InlineData(4, -1e-3, 0.1, "-0.001")]
    [InlineData(4, 1e-5, 1.5, "1.5")]
    [InlineData(4, 1e-5, -0.1, "-0.1")]
    public void BatchNorm_WithABadConstructorArgument_QuotesTheValue(int features, double epsilon, double momentum, string quoted)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new BatchNorm2d(features, epsilon, momentum));
        Assert.Contains("BatchNorm2d", error.Message);
        Assert.Contains(quoted, error.Message);
    }
}
