using Backprop.Kernels;

namespace Backprop.Tests.Kernels;

/// <summary>What the poolings share (geometries, argument checks, plane-parallel runs) and global average pooling.</summary>
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
        // No padding, so no window is clipped: the windows walk takes its unclipped path.
        new(2, 7, 7, 3, 3, 2, 2, 0, 0, 1, 1),
        new(2, 9, 8, 3, 2, 2, 1, 0, 0, 2, 1),
    };

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

    /// <summary>Every tap of window (oh, ow), padding included, in row-major order.</summary>
    internal static IEnumerable<(int Row, int Column)> Taps(ConvGeometry g, int oh, int ow)
    {
        for (int i = 0; i < g.KernelHeight; i++)
        {
            for (int j = 0; j < g.KernelWidth; j++)
            {
                yield return (oh * g.StrideH - g.PadH + i * g.DilationH, ow * g.StrideW - g.PadW + j * g.DilationW);
            }
        }
    }

    internal static bool Inside(ConvGeometry g, int row, int column) =>
        row >= 0 && row < g.InputHeight && column >= 0 && column < g.InputWidth;
}
