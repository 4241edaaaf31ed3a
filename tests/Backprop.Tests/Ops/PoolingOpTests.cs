using Backprop.Autograd;

namespace Backprop.Tests.Ops;

/// <summary>Tensor.MaxPool2d, AvgPool2d and GlobalAvgPool2d: gradients against finite differences and worked values.</summary>
public class PoolingOpTests
{
    private static Tensor Random(int seed, params int[] shape) => Tensor.RandomUniform(shape, seed, -1, 1, DType.Float64);

    private static void AssertGradients(Func<Tensor[], Tensor> function, params Tensor[] inputs)
    {
        var result = GradCheck.Run(function, inputs);
        Assert.True(result.Passed(1e-6), $"max relative error {result.MaxRelativeError:E2} at {result.WorstElement}");
    }

    /// <summary>Kernel, stride, padding, dilation; stride below the kernel makes windows overlap so gradients add.</summary>
    public static TheoryData<int, int, int, int> MaxPoolCases => new()
    {
        { 2, 2, 0, 1 },
        { 3, 1, 0, 1 },
        { 3, 2, 1, 1 },
        { 2, 1, 1, 1 },
        { 2, 1, 0, 2 },
    };

    [Theory]
    [MemberData(nameof(MaxPoolCases))]
    public void Backward_OfMaxPool2d_MatchesFiniteDifferences(int kernel, int stride, int padding, int dilation) =>
        AssertGradients(x => Tensor.MaxPool2d(x[0], kernel, stride, padding, dilation), Random(1, 2, 2, 6, 5));

    [Theory]
    [InlineData(2, 2, 0, true)]
    [InlineData(3, 1, 0, true)]
    [InlineData(3, 1, 1, true)]
    [InlineData(3, 1, 1, false)]
    [InlineData(3, 2, 1, false)]
    public void Backward_OfAvgPool2d_MatchesFiniteDifferences(int kernel, int stride, int padding, bool countIncludePad) =>
        AssertGradients(x => Tensor.AvgPool2d(x[0], kernel, stride, padding, countIncludePad), Random(2, 2, 2, 6, 5));

    [Fact]
    public void Backward_OfNonSquarePooling_MatchesFiniteDifferences()
    {
        AssertGradients(x => Tensor.MaxPool2d(x[0], (2, 3), (1, 2), (1, 1), (1, 1)), Random(3, 1, 2, 5, 7));
        AssertGradients(x => Tensor.AvgPool2d(x[0], (3, 2), (2, 1), (1, 0)), Random(4, 1, 2, 5, 7));
    }

    [Fact]
    public void Backward_OfGlobalAvgPool2d_MatchesFiniteDifferences() =>
        AssertGradients(x => Tensor.GlobalAvgPool2d(x[0]), Random(5, 2, 3, 4, 5));

    [Fact]
    public void MaxPool2d_OverlappingWindowsWithOneWinner_AddTheirGradients()
    {
        // Worked by hand: the centre 9 wins all four 2×2 windows of a 3×3 plane, so it receives 4 × 1.
        var x = Tensor.FromArray(new double[] { 1, 2, 3, 4, 9, 5, 6, 7, 8 }, 1, 1, 3, 3).RequireGrad();

        var y = Tensor.MaxPool2d(x, 2, stride: 1);
        y.Sum().Backward();

        Assert.Equal([9, 9, 9, 9], y.ToDoubleArray());
        Assert.Equal([0, 0, 0, 0, 4, 0, 0, 0, 0], x.Grad!.ToDoubleArray());
    }

    [Fact]
    public void AvgPool2d_OverlappingWindows_AddTheirShares()
    {
        // Worked by hand: 2×2 windows at stride 1 over 3×3 cover a corner once, an edge twice and the centre
        // four times, each time with a share of 1/4.
        var x = Tensor.FromArray(new double[] { 1, 2, 3, 4, 5, 6, 7, 8, 9 }, 1, 1, 3, 3).RequireGrad();

        var y = Tensor.AvgPool2d(x, 2, stride: 1);
        y.Sum().Backward();

        Assert.Equal([3, 4, 6, 7], y.ToDoubleArray());
        Assert.Equal([0.25, 0.5, 0.25, 0.5, 1, 0.5, 0.25, 0.5, 0.25], x.Grad!.ToDoubleArray());
    }

    [Fact]
    public void AvgPool2d_WithPadding_DividesByTheWholeWindowOrOnlyTheInsideTaps()
    {
        // Worked by hand: the top-left 3×3 window of an all-ones 2×2 plane padded by 1 holds four ones.
        var x = Tensor.Ones(1, 1, 2, 2);

        Assert.Equal(4.0 / 9, Tensor.AvgPool2d(x, 3, stride: 1, padding: 1)[0, 0, 0, 0], 6);
        Assert.Equal(1.0, Tensor.AvgPool2d(x, 3, stride: 1, padding: 1, countIncludePad: false)[0, 0, 0, 0], 6);
    }

    [Fact]
    public void GlobalAvgPool2d_AveragesEachPlane()
    {
        // Worked by hand: the planes 0..3 and 4..7 average to 1.5 and 5.5.
        var x = Tensor.FromArray(Enumerable.Range(0, 8).Select(v => (double)v).ToArray(), 1, 2, 2, 2);

        var y = Tensor.GlobalAvgPool2d(x);

        Assert.Equal([1, 2], y.Shape);
        Assert.Equal([1.5, 5.5], y.ToDoubleArray());
    }

    [Fact]
    public void Pooling_OfABadInput_NamesTheOpAndTheShape()
    {
        var rank = Assert.Throws<ArgumentException>(() => Tensor.MaxPool2d(Tensor.Zeros(4, 4), 2));
        var tooLarge = Assert.Throws<ArgumentException>(() => Tensor.AvgPool2d(Tensor.Zeros(1, 1, 2, 2), 3));
        var padding = Assert.Throws<ArgumentOutOfRangeException>(() => Tensor.MaxPool2d(Tensor.Zeros(1, 1, 4, 4), 2, padding: 2));
        var global = Assert.Throws<ArgumentException>(() => Tensor.GlobalAvgPool2d(Tensor.Zeros(2, 3, 4)));

        Assert.Contains("MaxPool2d", rank.Message);
        Assert.Contains("[4, 4]", rank.Message);
        Assert.Contains("AvgPool2d", tooLarge.Message);
        Assert.Contains("larger than the padded input 2x2", tooLarge.Message);
        Assert.Contains("at most half the kernel 2x2", padding.Message);
        Assert.Contains("[2, 3, 4]", global.Message);
    }
}
