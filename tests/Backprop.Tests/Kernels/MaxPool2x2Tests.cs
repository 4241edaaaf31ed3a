using System.Numerics;
using Backprop.Kernels;

namespace Backprop.Tests.Kernels;

public class MaxPool2x2Tests
{
    public static TheoryData<int, int, int> Sizes => new()
    {
        { 1, 2, 2 },
        { 3, 7, 9 },
        { 2, 28, 28 },
        { 4, 14, 15 },
        { 1, 5, 2 },
        { 40, 40, 41 },
        // Rows of exactly one and two float vectors of windows (the AVX2 path), and one with an odd last row.
        { 2, 4, 16 },
        { 1, 3, 33 },
    };

    [Theory]
    [MemberData(nameof(Sizes))]
    public void Double_TiesAndNaN_MatchRowMajorScan(int planes, int height, int width) =>
        CheckAgainstScan<double>(planes, height, width, value => value);

    [Theory]
    [MemberData(nameof(Sizes))]
    public void Float_TiesAndNaN_MatchRowMajorScan(int planes, int height, int width) =>
        CheckAgainstScan<float>(planes, height, width, value => (float)value);

    [Fact]
    public void LargeBatch_RunsInParallelAndMatchesPlaneByPlaneBitForBit()
    {
        const int Planes = 64 * 8;
        var g = ConvGeometry.Create(28, 28, 2, 2, 2, 2);
        int inPlane = g.InputPlaneSize, outPlane = g.OutputPlaneSize;
        Assert.True(PlaneParallel.IsWorthIt(Planes, Planes * outPlane));
        var random = new Random(5);
        float[] input = Enumerable.Range(0, Planes * inPlane).Select(_ => (float)random.Next(5)).ToArray();
        var (output, argMax) = (new float[Planes * outPlane], new int[Planes * outPlane]);
        var (serial, serialArgMax) = (new float[output.Length], new int[argMax.Length]);

        Pooling.MaxPoolForward<float>(input, Planes, g, output, argMax);
        for (int p = 0; p < Planes; p++)
        {
            var (i, o) = (new Range(p * inPlane, (p + 1) * inPlane), new Range(p * outPlane, (p + 1) * outPlane));
            Pooling.MaxPoolForward<float>(input.AsSpan(i), 1, g, serial.AsSpan(o), serialArgMax.AsSpan(o));
        }

        Assert.Equal(serial, output);
        Assert.Equal(serialArgMax, argMax);
    }

    /// <summary>
    /// Reference: the general kernel's rule spelled out — start at the first tap, let a later tap replace it
    /// when greater or NaN. Values come from four levels, −∞ and two NaNs with different payloads, so most
    /// windows hold ties and many hold one or two NaNs; outputs are compared bit for bit.
    /// </summary>
    private static void CheckAgainstScan<T>(int planes, int height, int width, Func<double, T> convert)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var g = ConvGeometry.Create(height, width, 2, 2, 2, 2);
        var random = new Random((planes * 31) + (height * 7) + width);
        T quietNaN = T.NaN, otherNaN = -T.NaN;
        T[] input = Enumerable.Range(0, planes * g.InputPlaneSize).Select(_ => random.Next(8) switch
        {
            6 => random.Next(2) == 0 ? quietNaN : otherNaN,
            7 => T.NegativeInfinity,
            int level => convert(level - 2),
        }).ToArray();
        int outputs = planes * g.OutputPlaneSize;
        var output = new T[outputs];
        var argMax = new int[outputs];

        Pooling.MaxPoolForward<T>(input, planes, g, output, argMax);

        for (int p = 0, o = 0; p < planes; p++)
        {
            for (int oh = 0; oh < g.OutputHeight; oh++)
            {
                for (int ow = 0; ow < g.OutputWidth; ow++, o++)
                {
                    int best = (2 * oh * width) + (2 * ow);
                    foreach (int position in new[] { best + 1, best + width, best + width + 1 })
                    {
                        T value = input[(p * g.InputPlaneSize) + position], max = input[(p * g.InputPlaneSize) + best];
                        if (value > max || T.IsNaN(value))
                        {
                            best = position;
                        }
                    }

                    Assert.Equal(best, argMax[o]);
                    Assert.Equal(Bits(input[(p * g.InputPlaneSize) + best]), Bits(output[o]));
                }
            }
        }
    }

    private static long Bits<T>(T value)
        where T : unmanaged =>
        value is float single ? BitConverter.SingleToInt32Bits(single) : BitConverter.DoubleToInt64Bits((double)(object)value);
}
