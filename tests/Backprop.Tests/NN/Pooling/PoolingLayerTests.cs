using Backprop.Autograd;
using Backprop.NN;

namespace Backprop.Tests.NN.Pooling;

public class PoolingLayerTests
{
    [Fact]
    public void MaxPool2d_StrideDefaultsToTheKernel()
    {
        var pool = new MaxPool2d(2);

        var output = pool.Forward(Tensor.Zeros(4, 8, 28, 28));

        Assert.Equal((2, 2), pool.Stride);
        Assert.Equal([4, 8, 14, 14], output.Shape);
        Assert.Empty(pool.Parameters());
        Assert.Equal("MaxPool2d(kernelSize: 2)", pool.ToString());
    }

    [Fact]
    public void MaxPool2d_PicksEachWindowsMaximum()
    {
        // Worked by hand: the ramp 0..15 as a 4×4 plane has each 2×2 quadrant's maximum at its bottom-right.
        var x = Tensor.FromArray(Enumerable.Range(0, 16).Select(v => (double)v).ToArray(), 1, 1, 4, 4);

        Assert.Equal([5, 7, 13, 15], new MaxPool2d(2).Forward(x).ToDoubleArray());
    }

    [Fact]
    public void AvgPool2d_OverlappingWithPadding_KeepsTheSizeAndMatchesFiniteDifferences()
    {
        var pool = new AvgPool2d(3, stride: 1, padding: 1, countIncludePad: false);
        var x = Tensor.RandomUniform([2, 3, 5, 4], 1, -1, 1, DType.Float64);

        var result = GradCheck.Run(inputs => pool.Forward(inputs[0]), x);

        Assert.Equal([2, 3, 5, 4], pool.Forward(x).Shape);
        Assert.True(result.Passed(1e-6), $"max relative error {result.MaxRelativeError:E2} at {result.WorstElement}");
        Assert.Equal("AvgPool2d(kernelSize: 3, stride: 1, padding: 1, countIncludePad: false)", pool.ToString());
    }

    [Fact]
    public void MaxPool2d_OverlappingWindows_MatchFiniteDifferences()
    {
        var pool = new MaxPool2d((3, 2), stride: (1, 1), padding: (1, 1));
        var x = Tensor.RandomUniform([2, 2, 4, 5], 2, -1, 1, DType.Float64);

        var result = GradCheck.Run(inputs => pool.Forward(inputs[0]), x);

        Assert.Equal([2, 2, 4, 6], pool.Forward(x).Shape);
        Assert.True(result.Passed(1e-6), $"max relative error {result.MaxRelativeError:E2} at {result.WorstElement}");
    }

    [Fact]
    public void GlobalAvgPool2d_ReducesEachPlaneToItsMean()
    {
        var x = Tensor.RandomUniform([3, 4, 5, 6], 3, -1, 1, DType.Float64);

        var output = new GlobalAvgPool2d().Forward(x);

        Assert.Equal([3, 4], output.Shape);
        Assert.Equal(x.Reshape(3, 4, 30).Mean(2).ToDoubleArray(), output.ToDoubleArray(), new WorkedExamples.Tolerance(1e-12));
    }

    [Theory]
    [InlineData(0, null, 0)]
    [InlineData(2, 0, 0)]
    [InlineData(2, null, -1)]
    [InlineData(2, null, 2)]
    public void Pooling_WithAnOutOfRangeArgument_NamesTheLayerAndQuotesTheValue(int kernel, int? stride, int padding)
    {
        var max = Assert.Throws<ArgumentOutOfRangeException>(() => new MaxPool2d(kernel, stride, padding));
        var average = Assert.Throws<ArgumentOutOfRangeException>(() => new AvgPool2d(kernel, stride, padding));

        Assert.Contains($"MaxPool2d(kernelSize: {kernel}", max.Message);
        Assert.Contains($"AvgPool2d(kernelSize: {kernel}", average.Message);
        Assert.Contains("got " + (kernel < 1 ? kernel : stride < 1 ? stride : padding), max.Message);
    }

    [Fact]
    public void Pooling_FedABadInput_NamesTheLayerAndTheShape()
    {
        var rank = Assert.Throws<ArgumentException>(() => new MaxPool2d(2).Forward(Tensor.Zeros(8, 28, 28)));
        var tooLarge = Assert.Throws<ArgumentException>(() => new AvgPool2d(3, stride: 1).Forward(Tensor.Zeros(1, 1, 2, 5)));
        var global = Assert.Throws<ArgumentException>(() => new GlobalAvgPool2d().Forward(Tensor.Zeros(2, 16)));

        Assert.Contains("MaxPool2d(kernelSize: 2)", rank.Message);
        Assert.Contains("[8, 28, 28]", rank.Message);
        Assert.Contains("AvgPool2d(kernelSize: 3, stride: 1)", tooLarge.Message);
        Assert.Contains("padded input 2x5", tooLarge.Message);
        Assert.Contains("GlobalAvgPool2d()", global.Message);
        Assert.Contains("[2, 16]", global.Message);
    }
}
