using Backprop.Kernels;

namespace Backprop.Tests.Kernels;

public sealed class MultiplyAddKernelTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(17)]
    [InlineData(63)]
    [InlineData(65)]
    [InlineData(129)]
    [InlineData(1001)]
    public void Apply_IsTheRoundedProductPlusTheSum_WhereverTheSpansStart(int length)
    {
        // Lengths under four 512-bit vectors (64 floats, 32 doubles) take the Vector<T> path even with AVX-512, the
        // longer ones the aligned 512-bit path; DOTNET_EnableAVX512F=0 sends every length through Vector<T>.
        var random = new Random(length);
        for (int shift = 0; shift < 16; shift++)
        {
            // Shifting y moves its first cache line, so the scalar head before the aligned vectors changes length.
            float[] x = new float[length], y = new float[length + shift];
            double[] x64 = new double[length], y64 = new double[length + shift];
            for (int i = 0; i < length; i++)
            {
                x64[i] = random.NextDouble() * 2 - 1;
                y64[shift + i] = random.NextDouble() * 2 - 1;
                x[i] = (float)x64[i];
                y[shift + i] = (float)y64[shift + i];
            }

            float[] before = (float[])y.Clone();
            double[] before64 = (double[])y64.Clone();
            MultiplyAddKernel.Apply<float>(x, -0.1f, y.AsSpan(shift));
            MultiplyAddKernel.Apply<double>(x64, -0.1, y64.AsSpan(shift));
            for (int i = 0; i < length; i++)
            {
                // The scalar definition, the product rounded before the sum (not fused).
                float product = x[i] * -0.1f;
                double product64 = x64[i] * -0.1;
                Assert.Equal(product + before[shift + i], y[shift + i]);
                Assert.Equal(product64 + before64[shift + i], y64[shift + i]);
            }
        }
    }

    [Fact]
    public void Apply_WithTooFewFactors_Throws() =>
        Assert.Throws<ArgumentException>(() => MultiplyAddKernel.Apply<float>(new float[2], 1f, new float[3]));
}
