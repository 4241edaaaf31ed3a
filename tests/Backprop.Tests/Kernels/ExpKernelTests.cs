using Backprop.Kernels;

namespace Backprop.Tests.Kernels;

public sealed class ExpKernelTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(8)]
    [InlineData(17)]
    [InlineData(640)]
    [InlineData(1003)]
    public void InPlace_AgreesWithTheScalarExponential_ForEveryLength(int length)
    {
        // Lengths around one vector and past it: the vector body and the scalar tail both run.
        var random = new Random(length);
        double[] x64 = new double[length];
        float[] x = new float[length];
        for (int i = 0; i < length; i++)
        {
            x64[i] = (random.NextDouble() * 160) - 80;
            x[i] = (float)x64[i];
        }

        float[] expected = [.. x.Select(MathF.Exp)];
        double[] expected64 = [.. x64.Select(Math.Exp)];
        ExpKernel.InPlace<float>(x);
        ExpKernel.InPlace<double>(x64);
        for (int i = 0; i < length; i++)
        {
            // The vector exponential may round differently from the C library's in the last place.
            Assert.Equal(expected[i], x[i], expected[i] * 2e-7f);
            Assert.Equal(expected64[i], x64[i], expected64[i] * 4e-16);
        }
    }

    [Fact]
    public void InPlace_KeepsTheLimits_InTheVectorBodyAndTheTail()
    {
        // Nine values: the first eight fill a vector of floats wherever vectors have eight lanes or fewer.
        float[] x = [float.NegativeInfinity, float.PositiveInfinity, float.NaN, -200, 200, 88.8f, -104, 0, float.NaN];
        ExpKernel.InPlace<float>(x);
        Assert.Equal([0f, float.PositiveInfinity, float.NaN, 0f, float.PositiveInfinity, float.PositiveInfinity, 0f], x[..7]);
        // e^0 in the vector code is 1 + 1 ulp (as TensorPrimitives.Exp's): softmax divides it by the row's sum anyway.
        Assert.Equal(1f, x[7], 2.5e-7f);
        Assert.True(float.IsNaN(x[8]));

        double[] x64 = [double.NegativeInfinity, double.PositiveInfinity, double.NaN, -800, 800, double.NaN];
        ExpKernel.InPlace<double>(x64);
        Assert.Equal([0d, double.PositiveInfinity, double.NaN, 0d, double.PositiveInfinity, double.NaN], x64);
    }
}
