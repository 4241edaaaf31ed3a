using Backprop.NN;

namespace Backprop.Tests.NN;

public sealed class ModelSummaryTests
{
    // README's CNN: two 3×3 convolutions (padding 1) with 2×2 max-pooling, then Dense(7·7·16, 10).
    private static Sequential ReadmeCnn() => new(
        new Conv2d(1, 8, kernelSize: 3, padding: 1, seed: 1), new ReLU(), new MaxPool2d(2),
        new Conv2d(8, 16, kernelSize: 3, padding: 1, seed: 2), new ReLU(), new MaxPool2d(2),
        new Flatten(), new Dense(784, 10, seed: 3));

    [Fact]
    public void Summary_OfTheReadmeCnn_GivesEveryShapeAndParameterCount()
    {
        var summary = ReadmeCnn().Summary(1, 28, 28);

        // Shapes by hand: padding 1 keeps 28, each pooling halves it (28 → 14 → 7).
        int[][] shapes = [[8, 28, 28], [8, 28, 28], [8, 14, 14], [16, 14, 14], [16, 14, 14], [16, 7, 7], [784], [10]];
        Assert.Equal(shapes, summary.Layers.Select(l => l.OutputShape.ToArray()));
        Assert.Equal(["0", "1", "2", "3", "4", "5", "6", "7"], summary.Layers.Select(l => l.Name));
        // Parameters by hand: out·in·k² + out per convolution, in·out + out for Dense.
        Assert.Equal([8 * 1 * 9 + 8, 0, 0, 16 * 8 * 9 + 16, 0, 0, 0, 784 * 10 + 10], summary.Layers.Select(l => l.Parameters));
        Assert.Equal(80 + 1168 + 7850, summary.TotalParameters);
        Assert.Equal(summary.TotalParameters, summary.TrainableParameters);
        Assert.Equal(9098 * 4, summary.WeightBytes);
        // Every output above, in float32: 2·6272 + 1568 + 2·3136 + 784 + 784 + 10 = 21,962 numbers.
        Assert.Equal(21_962 * 4, summary.ActivationBytesPerExample);
    }

    [Fact]
    public void Summary_AsText_IsATableWithTotalsAndMemory()
    {
        string text = ReadmeCnn().Summary(1, 28, 28).ToString();
        string[] lines = text.Split('\n');

        Assert.Matches(@"^Layer\s+Type\s+Output shape\s+Parameters\s+Trainable$", lines[0].TrimEnd());
        Assert.Matches(@"^input\s+\[N, 1, 28, 28\]$", lines[2].TrimEnd());
        Assert.Matches(@"^0\s+Conv2d\(1, 8, .*\)\s+\[N, 8, 28, 28\]\s+80\s+80$", lines[3].TrimEnd());
        Assert.Matches(@"^7\s+Dense\(784, 10\)\s+\[N, 10\]\s+7,850\s+7,850$", lines[10].TrimEnd());
        Assert.Contains("Total parameters: 9,098 (trainable 9,098, frozen 0)", text);
        Assert.Contains("Weights: 35.5 KB (float32 parameters and buffers)", text);
        Assert.Contains("Activations: 85.8 KB per example", text);
    }

    [Fact]
    public void Summary_CountsFrozenParametersApart_AndBuffersOnlyAsMemory()
    {
        var first = new Dense(4, 3, seed: 1);
        var model = new Sequential(first, new BatchNorm1d(3), new ReLU(), new Dense(3, 2, seed: 2)).To(DType.Float64);
        foreach (var parameter in first.Parameters()) parameter.RequiresGrad = false;

        var summary = model.Summary(4);

        Assert.Equal([15, 6, 0, 8], summary.Layers.Select(l => l.Parameters));
        Assert.Equal([0, 6, 0, 8], summary.Layers.Select(l => l.TrainableParameters));
        Assert.Equal(29, summary.TotalParameters);
        Assert.Equal(14, summary.TrainableParameters);
        // 29 parameters and BatchNorm's buffers (3 means, 3 variances, 1 counter), 8 bytes each.
        Assert.Equal((29 + 7) * 8, summary.WeightBytes);
    }

    [Fact]
    public void Summary_LeavesTheModelAsItWas()
    {
        var norm = new BatchNorm2d(8);
        var model = new Sequential(new Conv2d(1, 8, 3, seed: 1), norm, new ReLU(), new Dropout(0.5, seed: 1));
        float[] runningMean = norm.RunningMean!.ToFloatArray();

        model.Summary(1, 6, 6);

        Assert.True(model.IsTraining);
        Assert.True(norm.IsTraining);
        Assert.Equal(runningMean, norm.RunningMean!.ToFloatArray());
        Assert.Equal(0, norm.NumBatchesTracked!.Item());
    }

    [Fact]
    public void Summary_OfAShapeALayerRejects_NamesTheLayer()
    {
        var exception = Assert.Throws<ArgumentException>(() => ReadmeCnn().Summary(784));
        Assert.StartsWith("Summary: layer 0 (Conv2d(1, 8, ", exception.Message);
        Assert.Contains("input shape [784]", exception.Message);
    }

    [Fact]
    public void Summary_OfAnEmptyShape_SaysWhatItNeeds()
    {
        var exception = Assert.Throws<ArgumentOutOfRangeException>(() => ReadmeCnn().Summary());
        Assert.Contains("one or more dimensions ≥ 1", exception.Message);
    }
}
