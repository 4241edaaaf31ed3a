using Backprop.Kernels;

namespace Backprop.Tests.Kernels;

[Collection("Threads")]
public sealed class GemmDeterminismTests
{
    [Theory]
    [InlineData(301, 203, 517)]
    [InlineData(97, 405, 263)]
    [InlineData(64, 128, 784)]
    [InlineData(127, 61, 1031)]
    public void Multiply_OneOrTwoThreads_GiveIdenticalBits(int m, int n, int k)
    {
        var random = new Random(7);
        float[] a = GemmTests.RandomArray<float>(random, m * k);
        float[] b = GemmTests.RandomArray<float>(random, k * n);
        double[] a64 = GemmTests.RandomArray<double>(random, m * k);
        double[] b64 = GemmTests.RandomArray<double>(random, k * n);
        (float[] Single, double[] Double) Multiply(int threads) => ThreadCount.With(threads, () =>
        {
            float[] c = new float[m * n];
            double[] c64 = new double[m * n];
            Gemm.Multiply(a, false, b, true, c, m, n, k, accumulate: false);
            Gemm.Multiply(a64, true, b64, false, c64, m, n, k, accumulate: false);
            return (c, c64);
        });

        var serial = Multiply(1);
        var parallel = Multiply(2);
        Assert.Equal(serial.Single, parallel.Single);
        Assert.Equal(serial.Double, parallel.Double);
    }

    [Fact]
    public void Multiply_ReadingBInPlaceOrFromAPackedCopy_GivesTheSameBits()
    {
        // One thread computes all rows of this product and, with more than the in-place limit of row panels, packs B;
        // the first rows alone read B where it lies. Every element is the same chain of multiply-adds either way.
        int m = (GemmDriver.InPlaceMaxRowPanels * 12) + 7, n = 101, k = 67;
        var random = new Random(11);
        float[] a = GemmTests.RandomArray<float>(random, m * k), b = GemmTests.RandomArray<float>(random, k * n);
        float[] whole = new float[m * n], head = new float[13 * n];
        ThreadCount.With(1, () =>
        {
            Gemm.Multiply<float>(Gemm.Path.Automatic, a, false, b, false, whole, m, n, k, accumulate: false);
            Gemm.Multiply<float>(Gemm.Path.Automatic, a.AsSpan(0, 13 * k), false, b, false, head, 13, n, k, accumulate: false);
            return 0;
        });
        Assert.Equal(whole.AsSpan(0, 13 * n).ToArray(), head);
    }

    [Theory]
    [InlineData(128, 784)]
    [InlineData(130, 257)]
    [InlineData(1021, 97)]
    public void VectorTimesTransposedMatrix_OneOrTwoThreads_GiveIdenticalBits(int n, int k)
    {
        // Single-sample inference, x·Wᵀ: split over the workers by columns once the weight is large enough.
        Assert.True((long)n * k >= GemmDirect.VectorParallelMinWork);
        var random = new Random(n + k);
        float[] x = GemmTests.RandomArray<float>(random, k), w = GemmTests.RandomArray<float>(random, n * k);
        double[] x64 = GemmTests.RandomArray<double>(random, k), w64 = GemmTests.RandomArray<double>(random, n * k);
        (float[] Single, double[] Double) Multiply(int threads) => ThreadCount.With(threads, () =>
        {
            float[] c = new float[n];
            double[] c64 = new double[n];
            Gemm.Multiply(x, false, w, true, c, 1, n, k, accumulate: false);
            Gemm.Multiply(x64, false, w64, true, c64, 1, n, k, accumulate: false);
            return (c, c64);
        });

        var serial = Multiply(1);
        // Three pieces as well as two: the caller's piece is longer than the others, whatever their number.
        foreach (int threads in new[] { 2, 3 })
        {
            var parallel = Multiply(threads);
            Assert.Equal(serial.Single, parallel.Single);
            Assert.Equal(serial.Double, parallel.Double);
            GemmTests.AssertNearReference(x64, false, w64, true, new double[n], parallel.Double, 1, n, k, accumulate: false, $"1×{n}×{k}, {threads} threads");
        }
    }

    [Fact]
    public void Multiply_InsideAHostParallelLoop_GivesIdenticalBits()
    {
        const int Size = 130;
        var random = new Random(11);
        float[] a = GemmTests.RandomArray<float>(random, Size * Size);
        float[] b = GemmTests.RandomArray<float>(random, Size * Size);
        float[] expected = new float[Size * Size];
        Gemm.Multiply(a, false, b, false, expected, Size, Size, Size, accumulate: false);
        var results = new float[4][];
        Threads.Run(4, worker =>
        {
            results[worker] = new float[Size * Size];
            Gemm.Multiply(a, false, b, false, results[worker], Size, Size, Size, accumulate: false);
        });
        Assert.All(results, result => Assert.Equal(expected, result));
    }
}
