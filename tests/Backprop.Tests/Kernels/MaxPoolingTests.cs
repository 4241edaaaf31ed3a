using Backprop.Kernels;

namespace Backprop.Tests.Kernels;

/// <summary>Max pooling (MaxPooling.cs): values, arg-max, ties, NaN and gradients against hand-worked cases and a naive window scan.</summary>
public class MaxPoolingTests
{
    [Fact]
    public void MaxPoolForward_TwoByTwoStrideTwo_PicksEachQuadrantsMaximum()
    {
        double[] input = Enumerable.Range(0, 16).Select(v => (double)v).ToArray();
        var g = ConvGeometry.Create(4, 4, 2, 2, 2, 2);
        var output = new double[4];
        var argMax = new int[4];

        Pooling.MaxPoolForward<double>(input, 1, g, output, argMax);

        // Worked by hand: the ramp 0..15 has each quadrant's maximum at its bottom-right corner.
        Assert.Equal([5, 7, 13, 15], output);
        Assert.Equal([5, 7, 13, 15], argMax);
    }

    [Fact]
    public void MaxPool_Ties_PickFirstInRowMajorOrder()
    {
        var input = new double[9];
        Array.Fill(input, 2.0);
        var g = ConvGeometry.Create(3, 3, 2, 2);
        var output = new double[4];
        var argMax = new int[4];
        var gradient = new double[9];

        Pooling.MaxPoolForward<double>(input, 1, g, output, argMax);
        Pooling.MaxPoolBackward<double>([1, 10, 100, 1000], argMax, [], 1, g, gradient);

        // Worked by hand: with every value equal, each window's top-left tap is its first maximum.
        Assert.Equal([0, 1, 3, 4], argMax);
        Assert.Equal([1, 10, 0, 100, 1000, 0, 0, 0, 0], gradient);
    }

    [Fact]
    public void MaxPoolBackward_OverlappingWindowsSharingTheMaximum_AddTheirGradients()
    {
        double[] input = [0, 0, 0, 0, 9, 0, 0, 0, 0];
        var g = ConvGeometry.Create(3, 3, 2, 2);
        var argMax = new int[4];
        var gradient = Enumerable.Repeat(double.NaN, 9).ToArray();

        Pooling.MaxPoolForward<double>(input, 1, g, new double[4], argMax);
        Pooling.MaxPoolBackward<double>([1, 2, 3, 4], argMax, [], 1, g, gradient);

        // Worked by hand: all four 2×2 windows contain the centre 9, so it receives 1 + 2 + 3 + 4; what the gradient
        // held before is overwritten.
        Assert.Equal([0, 0, 0, 0, 10, 0, 0, 0, 0], gradient);
    }

    [Fact]
    public void MaxPoolForward_PaddingIsNeverChosenOverNegativeInputs()
    {
        double[] input = [-5, -6, -7, -8];
        var g = ConvGeometry.Create(2, 2, 2, 2, 2, 2, 1, 1);
        var output = new double[4];
        var argMax = new int[4];

        Pooling.MaxPoolForward<double>(input, 1, g, output, argMax);

        // Worked by hand: padding 1 puts each input alone in its window with three −∞ neighbours.
        Assert.Equal([-5, -6, -7, -8], output);
        Assert.Equal([0, 1, 2, 3], argMax);
    }

    [Fact]
    public void MaxPoolForward_NaNInWindow_PropagatesAsPyTorchDoes()
    {
        double[] input = [1, double.NaN, 3, 4];
        var g = ConvGeometry.Create(2, 2, 2, 2);
        var output = new double[1];
        var argMax = new int[1];

        Pooling.MaxPoolForward<double>(input, 1, g, output, argMax);

        // Worked by hand from the documented rule (NaN counts as the maximum, as in PyTorch's CPU max-pool).
        Assert.True(double.IsNaN(output[0]));
        Assert.Equal(1, argMax[0]);
    }

    [Theory]
    [MemberData(nameof(PoolingTests.Geometries), MemberType = typeof(PoolingTests))]
    public void MaxPool_MatchesNaiveWindowScanWithTies(WindowCase c)
    {
        var g = c.Geometry();
        int planes = c.Channels, outputs = planes * g.OutputPlaneSize;
        var random = new Random(c.H * 13 + c.W);
        // Four levels only, so most windows hold ties.
        double[] input = Enumerable.Range(0, planes * g.InputPlaneSize).Select(_ => (double)random.Next(4)).ToArray();
        double[] upstream = Im2ColTests.RandomArray(random, outputs);
        var output = new double[outputs];
        var argMax = new int[outputs];
        var gradient = new double[input.Length];
        var expectedGradient = new double[input.Length];

        Pooling.MaxPoolForward<double>(input, planes, g, output, argMax);
        Pooling.MaxPoolBackward<double>(upstream, argMax, [], planes, g, gradient);

        for (int p = 0, o = 0; p < planes; p++)
        {
            for (int oh = 0; oh < g.OutputHeight; oh++)
            {
                for (int ow = 0; ow < g.OutputWidth; ow++, o++)
                {
                    // Reference: scan the padded window row-major, padding as −∞, keep the first strictly larger value.
                    var (max, position) = (double.NegativeInfinity, -1);
                    foreach (var (ih, iw) in PoolingTests.Taps(g, oh, ow))
                    {
                        double value = PoolingTests.Inside(g, ih, iw) ? input[p * g.InputPlaneSize + ih * g.InputWidth + iw] : double.NegativeInfinity;
                        if (value > max)
                        {
                            (max, position) = (value, ih * g.InputWidth + iw);
                        }
                    }

                    Assert.Equal(max, output[o]);
                    Assert.Equal(position, argMax[o]);
                    expectedGradient[p * g.InputPlaneSize + position] += upstream[o];
                }
            }
        }

        Assert.Equal(expectedGradient, gradient);
    }

    [Theory]
    [MemberData(nameof(PoolingTests.Geometries), MemberType = typeof(PoolingTests))]
    public void MaxPoolForward_Float_AgreesWithDouble(WindowCase c)
    {
        var g = c.Geometry();
        int planes = c.Channels, outputs = planes * g.OutputPlaneSize;
        float[] input = Im2ColTests.RandomArray(new Random(c.W), planes * g.InputPlaneSize).Select(v => (float)v).ToArray();
        var single = new float[outputs];
        var wide = new double[outputs];
        var singleArgMax = new int[outputs];
        var wideArgMax = new int[outputs];

        Pooling.MaxPoolForward<float>(input, planes, g, single, singleArgMax);
        Pooling.MaxPoolForward<double>(input.Select(v => (double)v).ToArray(), planes, g, wide, wideArgMax);

        Assert.Equal(wide.Select(v => (float)v), single);
        Assert.Equal(wideArgMax, singleArgMax);
    }
}
