using Backprop.Kernels;

namespace Backprop.Tests.Kernels;

public class PoolingTests
{
    /// <summary>Pooling geometries: padding at most half the kernel, as PyTorch requires; Channels is used as planes.</summary>
    public static TheoryData<WindowCase> Geometries => new()
    {
        new(1, 4, 4, 2, 2, 2, 2, 0, 0, 1, 1),
        new(3, 7, 5, 3, 3, 1, 1, 1, 1, 1, 1),
        new(6, 9, 7, 3, 2, 2, 2, 1, 1, 1, 1),
        new(2, 8, 9, 2, 3, 1, 2, 1, 1, 1, 1),
        new(3, 11, 10, 5, 5, 2, 1, 2, 2, 1, 1),
        new(1, 9, 11, 3, 3, 1, 2, 1, 1, 2, 2),
        new(2, 7, 8, 2, 3, 2, 1, 1, 0, 2, 1),
        new(1, 1, 1, 1, 1, 1, 1, 0, 0, 1, 1),
        new(3, 5, 6, 4, 2, 3, 1, 2, 1, 1, 1),
    };

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
    [MemberData(nameof(Geometries))]
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
                    foreach (var (ih, iw) in Taps(g, oh, ow))
                    {
                        double value = Inside(g, ih, iw) ? input[p * g.InputPlaneSize + ih * g.InputWidth + iw] : double.NegativeInfinity;
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
    [MemberData(nameof(Geometries))]
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

    [Fact]
    public void AvgPoolForward_PaddedOnes_DividesByWindowOrByTapsInside()
    {
        var input = new double[9];
        Array.Fill(input, 1.0);
        var g = ConvGeometry.Create(3, 3, 3, 3, padH: 1, padW: 1);
        var included = new double[9];
        var excluded = new double[9];

        Pooling.AvgPoolForward<double>(input, 1, g, included);
        Pooling.AvgPoolForward<double>(input, 1, g, excluded, countIncludePad: false);

        // Worked by hand: corner windows cover 4 ones, edges 6, the centre 9; included padding divides all by 9.
        Assert.Equal([4 / 9.0, 6 / 9.0, 4 / 9.0, 6 / 9.0, 1, 6 / 9.0, 4 / 9.0, 6 / 9.0, 4 / 9.0], included);
        Assert.Equal(Enumerable.Repeat(1.0, 9), excluded);
    }

    [Theory]
    [MemberData(nameof(Geometries))]
    public void AvgPoolForward_MatchesNaiveWindowMean(WindowCase c)
    {
        var g = c.Geometry();
        int planes = c.Channels, outputs = planes * g.OutputPlaneSize;
        double[] input = Im2ColTests.RandomArray(new Random(c.H * 17 + c.KernelW), planes * g.InputPlaneSize);

        foreach (bool countIncludePad in new[] { true, false })
        {
            var output = new double[outputs];
            Pooling.AvgPoolForward<double>(input, planes, g, output, countIncludePad);

            for (int p = 0, o = 0; p < planes; p++)
            {
                for (int oh = 0; oh < g.OutputHeight; oh++)
                {
                    for (int ow = 0; ow < g.OutputWidth; ow++, o++)
                    {
                        // Reference: PyTorch's avg_pool2d definition, zero padding, divisor kh·kw or the taps inside.
                        double sum = 0;
                        int inside = 0;
                        foreach (var (ih, iw) in Taps(g, oh, ow).Where(t => Inside(g, t.Row, t.Column)))
                        {
                            sum += input[p * g.InputPlaneSize + ih * g.InputWidth + iw];
                            inside++;
                        }

                        Assert.Equal(sum / (countIncludePad ? g.KernelHeight * g.KernelWidth : inside), output[o], 1e-14);
                    }
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(Geometries))]
    public void AvgPoolBackward_IsTheAdjointOfForwardAndAccumulates(WindowCase c)
    {
        var g = c.Geometry();
        int planes = c.Channels, outputs = planes * g.OutputPlaneSize;
        var random = new Random(c.W * 19 + c.KernelH);
        double[] x = Im2ColTests.RandomArray(random, planes * g.InputPlaneSize);
        double[] y = Im2ColTests.RandomArray(random, outputs);
        double[] start = Im2ColTests.RandomArray(random, x.Length);

        foreach (bool countIncludePad in new[] { true, false })
        {
            var pooled = new double[outputs];
            var gradient = (double[])start.Clone();
            Pooling.AvgPoolForward<double>(x, planes, g, pooled, countIncludePad);
            Pooling.AvgPoolBackward<double>(y, planes, g, gradient, countIncludePad);

            // Reference: the gradient of a linear map is its adjoint, <A x, y> = <x, Aᵀ y>; Aᵀ y is what was added.
            double left = 0, right = 0;
            for (int k = 0; k < outputs; k++)
            {
                left += pooled[k] * y[k];
            }

            for (int k = 0; k < x.Length; k++)
            {
                right += x[k] * (gradient[k] - start[k]);
            }

            Assert.Equal(left, right, 1e-12);
        }
    }

    [Fact]
    public void GlobalAvgPool_AveragesEachPlaneAndSpreadsGradientEvenly()
    {
        double[] input = [1, 2, 3, 4, 5, 6, 7, 8];
        var output = new double[2];
        double[] gradient = [1, 1, 1, 1, 0, 0, 0, 0];

        Pooling.GlobalAvgPoolForward<double>(input, 2, 4, output);
        Pooling.GlobalAvgPoolBackward<double>([4, 8], 2, 4, gradient);

        // Worked by hand: means (1+2+3+4)/4 and (5+6+7+8)/4; gradients 4/4 and 8/4 added to every element.
        Assert.Equal([2.5, 6.5], output);
        Assert.Equal([2, 2, 2, 2, 2, 2, 2, 2], gradient);
    }

    [Fact]
    public void LargeInputs_RunInParallelAndMatchPlaneByPlaneBitForBit()
    {
        const int Planes = 16;
        var g = ConvGeometry.Create(66, 66, 3, 3, 1, 1, 1, 1);
        int inPlane = g.InputPlaneSize, outPlane = g.OutputPlaneSize;
        Assert.True(PlaneParallel.IsWorthIt(Planes, Planes * outPlane));
        var random = new Random(3);
        float[] input = Im2ColTests.RandomArray(random, Planes * inPlane).Select(v => (float)v).ToArray();
        float[] upstream = Im2ColTests.RandomArray(random, Planes * outPlane).Select(v => (float)v).ToArray();
        var (max, avg, global) = (new float[Planes * outPlane], new float[Planes * outPlane], new float[Planes]);
        var argMax = new int[Planes * outPlane];
        var (maxGradient, avgGradient, globalGradient) = (new float[input.Length], new float[input.Length], new float[input.Length]);
        var (max1, avg1, global1) = (new float[max.Length], new float[avg.Length], new float[Planes]);
        var argMax1 = new int[argMax.Length];
        var (maxGradient1, avgGradient1, globalGradient1) = (new float[input.Length], new float[input.Length], new float[input.Length]);

        Pooling.MaxPoolForward<float>(input, Planes, g, max, argMax);
        Pooling.MaxPoolBackward<float>(upstream, argMax, max, Planes, g, maxGradient);
        Pooling.AvgPoolForward<float>(input, Planes, g, avg);
        Pooling.AvgPoolBackward<float>(upstream, Planes, g, avgGradient);
        Pooling.GlobalAvgPoolForward<float>(input, Planes, inPlane, global);
        Pooling.GlobalAvgPoolBackward<float>(upstream.AsSpan(0, Planes), Planes, inPlane, globalGradient);
        for (int p = 0; p < Planes; p++)
        {
            var (i, o) = (new Range(p * inPlane, (p + 1) * inPlane), new Range(p * outPlane, (p + 1) * outPlane));
            Pooling.MaxPoolForward<float>(input.AsSpan(i), 1, g, max1.AsSpan(o), argMax1.AsSpan(o));
            Pooling.MaxPoolBackward<float>(upstream.AsSpan(o), argMax1.AsSpan(o), max1.AsSpan(o), 1, g, maxGradient1.AsSpan(i));
            Pooling.AvgPoolForward<float>(input.AsSpan(i), 1, g, avg1.AsSpan(o));
            Pooling.AvgPoolBackward<float>(upstream.AsSpan(o), 1, g, avgGradient1.AsSpan(i));
            Pooling.GlobalAvgPoolForward<float>(input.AsSpan(i), 1, inPlane, global1.AsSpan(p, 1));
            Pooling.GlobalAvgPoolBackward<float>(upstream.AsSpan(p, 1), 1, inPlane, globalGradient1.AsSpan(i));
        }

        Assert.Equal(max1, max);
        Assert.Equal(argMax1, argMax);
        Assert.Equal(maxGradient1, maxGradient);
        Assert.Equal(avg1, avg);
        Assert.Equal(avgGradient1, avgGradient);
        Assert.Equal(global1, global);
        Assert.Equal(globalGradient1, globalGradient);
    }

    [Fact]
    public void PaddingOverHalfTheKernel_ThrowsNamingTheValues()
    {
        var g = ConvGeometry.Create(6, 6, 3, 2, padH: 1, padW: 2);

        var error = Assert.Throws<ArgumentException>(() => Pooling.AvgPoolForward<double>(new double[36], 1, g, new double[g.OutputPlaneSize]));

        Assert.Contains("padding 1x2 must be at most half the kernel 3x2", error.Message);
        Assert.Contains("InputHeight = 6", error.Message);
    }

    [Fact]
    public void DilatedWindowOfPaddingOnly_Throws()
    {
        // One input row between padding 1 and taps 2 apart: the first window reads rows −1 and 1, both padding.
        var g = ConvGeometry.Create(1, 3, 2, 1, padH: 1, dilationH: 2);

        var error = Assert.Throws<ArgumentException>(
            () => Pooling.MaxPoolForward<double>(new double[3], 1, g, new double[g.OutputPlaneSize], new int[g.OutputPlaneSize]));

        Assert.Contains("falls entirely in the padding 1x0", error.Message);
    }

    [Fact]
    public void WrongBufferLengths_ThrowNamingTheShape()
    {
        var g = ConvGeometry.Create(4, 4, 2, 2, 2, 2);

        var argMaxError = Assert.Throws<ArgumentException>(
            () => Pooling.MaxPoolForward<double>(new double[32], 2, g, new double[8], new int[4]));
        var globalError = Assert.Throws<ArgumentException>(
            () => Pooling.GlobalAvgPoolBackward<float>(new float[3], 2, 4, new float[8]));

        Assert.Contains("[planes=2, OH=2, OW=2] = 8 elements but holds 4", argMaxError.Message);
        Assert.Equal("argMax", argMaxError.ParamName);
        Assert.Contains("[planes=2] = 2 elements but holds 3", globalError.Message);
    }

    private static IEnumerable<(int Row, int Column)> Taps(ConvGeometry g, int oh, int ow)
    {
        for (int i = 0; i < g.KernelHeight; i++)
        {
            for (int j = 0; j < g.KernelWidth; j++)
            {
                yield return (oh * g.StrideH - g.PadH + i * g.DilationH, ow * g.StrideW - g.PadW + j * g.DilationW);
            }
        }
    }

    private static bool Inside(ConvGeometry g, int row, int column) =>
        row >= 0 && row < g.InputHeight && column >= 0 && column < g.InputWidth;
}
