using Backprop.Kernels;

namespace Backprop.Tests.Kernels;

public sealed class ReluKernelsTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(16)]
    [InlineData(37)]
    [InlineData(1001)]
    public void Backward_MatchesTheScalarRule_IncludingZerosAndNaN(int length)
    {
        var random = new Random(length);
        float[] x = new float[length], gy = new float[length], gx = new float[length];
        double[] x64 = new double[length], gy64 = new double[length], gx64 = new double[length];
        for (int i = 0; i < length; i++)
        {
            // Every fourth activation is a special value: 0, −0, NaN or a negative number.
            x64[i] = (i % 4) switch { 0 => (i / 4 % 3) switch { 0 => 0.0, 1 => -0.0, _ => double.NaN }, _ => random.NextDouble() * 2 - 1 };
            gy64[i] = random.NextDouble() * 2 - 1;
            x[i] = (float)x64[i];
            gy[i] = (float)gy64[i];
        }

        ReluKernels.Backward<float>(x, gy, gx);
        ReluKernels.Backward<double>(x64, gy64, gx64);
        for (int i = 0; i < length; i++)
        {
            // The rule itself: the gradient passes where x > 0 and is 0 elsewhere (NaN compares false).
            Assert.Equal(x[i] > 0 ? gy[i] : 0f, gx[i]);
            Assert.Equal(x64[i] > 0 ? gy64[i] : 0.0, gx64[i]);
        }
    }
}
