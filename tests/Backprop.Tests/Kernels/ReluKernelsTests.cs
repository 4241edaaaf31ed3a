using Backprop.Kernels;

namespace Backprop.Tests.Kernels;

public sealed class ReluKernelsTests
{
    /// <summary>One element, fewer than a vector, exactly a 512-bit vector of floats, and lengths with a partial last vector.</summary>
    public static TheoryData<int> Lengths() => [1, 7, 16, 37, 1001];

    [Theory]
    [MemberData(nameof(Lengths))]
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

    [Theory]
    [MemberData(nameof(Lengths))]
    public void ForwardInPlace_IsMaxWithZero_KeepingNaN(int length)
    {
        var random = new Random(length);
        float[] x = new float[length];
        double[] x64 = new double[length];
        for (int i = 0; i < length; i++)
        {
            // Every fourth value is a special one: −0, NaN, −∞ or the smallest subnormal; the rest uniform in [−1, 1).
            x64[i] = (i % 4) switch { 0 => (i / 4 % 4) switch { 0 => -0.0, 1 => double.NaN, 2 => double.NegativeInfinity, _ => double.Epsilon }, _ => random.NextDouble() * 2 - 1 };
            x[i] = i % 4 == 0 && i / 4 % 4 == 3 ? float.Epsilon : (float)x64[i];
        }

        float[] y = (float[])x.Clone();
        double[] y64 = (double[])x64.Clone();
        ReluKernels.ForwardInPlace<float>(y);
        ReluKernels.ForwardInPlace<double>(y64);
        for (int i = 0; i < length; i++)
        {
            // The definition: positive values (subnormals too) pass, NaN stays NaN, everything else becomes +0.
            Assert.Equal(BitConverter.SingleToInt32Bits(float.IsNaN(x[i]) || x[i] > 0 ? x[i] : 0f), BitConverter.SingleToInt32Bits(y[i]));
            Assert.Equal(BitConverter.DoubleToInt64Bits(double.IsNaN(x64[i]) || x64[i] > 0 ? x64[i] : 0.0), BitConverter.DoubleToInt64Bits(y64[i]));
        }
    }
}
