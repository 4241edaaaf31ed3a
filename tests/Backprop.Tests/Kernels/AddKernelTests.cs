using Backprop.Kernels;

namespace Backprop.Tests.Kernels;

public sealed class AddKernelTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(9)]
    [InlineData(128)]
    [InlineData(1001)]
    public void Apply_AddsEachTerm_BitForBit(int length)
    {
        var random = new Random(length);
        // x longer than y: only y's elements are summed.
        float[] x = new float[length + 3], y = new float[length];
        double[] x64 = new double[length + 3], y64 = new double[length];
        for (int i = 0; i < x.Length; i++)
        {
            x64[i] = random.NextDouble() - 0.5;
            x[i] = (float)x64[i];
        }

        for (int i = 0; i < length; i++)
        {
            y64[i] = random.NextDouble() * 1000;
            y[i] = (float)y64[i];
        }

        float[] expected = [.. y.Select((value, i) => value + x[i])];
        double[] expected64 = [.. y64.Select((value, i) => value + x64[i])];
        AddKernel.Apply<float>(x, y);
        AddKernel.Apply<double>(x64, y64);
        Assert.Equal(expected, y);
        Assert.Equal(expected64, y64);
    }

    [Fact]
    public void Apply_WithTooFewTerms_Throws() =>
        Assert.Contains("2 terms for 3 sums", Assert.Throws<ArgumentException>(() => AddKernel.Apply<float>(new float[2], new float[3])).Message);
}
