using System.Numerics;
using Backprop.Kernels;

namespace Backprop.Tests.Kernels;

[Collection("Threads")]
public sealed class GemmDotTests
{
    /// <summary>1, primes, odd sizes, and sizes either side of the 4×4 tile and of a 512-bit vector along k (16 floats, 8 doubles).</summary>
    public static TheoryData<int, int, int> Shapes() => new()
    {
        { 1, 1, 1 }, { 2, 3, 1 }, { 3, 5, 7 }, { 4, 4, 16 }, { 5, 4, 17 }, { 4, 5, 15 }, { 7, 9, 8 }, { 8, 8, 9 },
        { 13, 17, 31 }, { 16, 3, 33 }, { 31, 37, 64 }, { 64, 128, 784 }, { 1, 128, 784 }, { 61, 67, 101 }, { 128, 10, 128 },
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Multiply_Float32_MatchesNaiveProduct(int m, int n, int k) => Check<float>(m, n, k);

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Multiply_Float64_MatchesNaiveProduct(int m, int n, int k) => Check<double>(m, n, k);

    [Theory]
    [MemberData(nameof(Shapes))]
    public void TryMultiplyTransposedWithBias_GivesTheBitsOfTheThreePasses(int m, int n, int k)
    {
        if (!GemmDot.IsSupported) return; // the kernel exists only where 512-bit vectors do
        CheckEpilogue<float>(m, n, k);
        CheckEpilogue<double>(m, n, k);
    }

    [Fact]
    public void TryMultiplyTransposedWithBias_ForMoreRowsThanTheDotKernelTakes_DoesNothing()
    {
        float[] a = new float[129 * 8], b = new float[4 * 8], c = Enumerable.Repeat(7f, 129 * 4).ToArray();
        Assert.False(Gemm.TryMultiplyTransposedWithBias<float>(a, b, [1f, 2f, 3f, 4f], relu: true, c, 129, 4, 8));
        Assert.All(c, value => Assert.Equal(7f, value));
        Assert.Throws<ArgumentException>(() => Gemm.TryMultiplyTransposedWithBias<float>(a, b, [1f, 2f], relu: true, c, 2, 4, 8));
    }

    /// <summary>
    /// The fused store against the unfused passes a dense layer took before (the bias written into every row of C, the
    /// product added onto it, ReLU in place), bit for bit, on one and two threads. Row 0 of A holds a NaN (ReLU keeps
    /// it), the last row is zeros (its outputs are exactly the bias, or exactly 0 without one: ReLU's boundary), and one
    /// bias is −0 (added to an exact 0 it gives +0 on both paths).
    /// </summary>
    private static void CheckEpilogue<T>(int m, int n, int k)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var random = new Random(HashCode.Combine(m, n, k, typeof(T)));
        T[] a = GemmTests.RandomArray<T>(random, m * k), b = GemmTests.RandomArray<T>(random, n * k), bias = GemmTests.RandomArray<T>(random, n);
        a[0] = T.NaN;
        if (m > 1) Array.Clear(a, (m - 1) * k, k);
        if (n > 1) bias[1] = -T.Zero;
        foreach (bool withBias in new[] { false, true })
        {
            foreach (bool relu in new[] { false, true })
            {
                T[] expected = new T[m * n];
                if (withBias) for (int i = 0; i < m; i++) bias.CopyTo(expected, i * n);
                Gemm.Multiply<T>(Gemm.Path.Dot, a, false, b, true, expected, m, n, k, accumulate: withBias);
                if (relu) for (int i = 0; i < expected.Length; i++) expected[i] = expected[i] <= T.Zero ? T.Zero : expected[i];
                foreach (int threads in new[] { 1, 2 })
                {
                    T[] fused = new T[m * n];
                    bool taken = ThreadCount.With(threads, () => Gemm.TryMultiplyTransposedWithBias<T>(a, b, withBias ? bias : [], relu, fused, m, n, k));
                    if (!taken) Assert.True(m == 1 || n == 1 || (long)m * n * k <= Gemm.DirectMaxWork, $"{m}×{n}×{k} should take the dot-product kernel");
                    else Assert.Equal(Bits(expected), Bits(fused));
                }
            }
        }
    }

    private static long[] Bits<T>(T[] values)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        [.. values.Select(value => typeof(T) == typeof(float) ? BitConverter.SingleToInt32Bits((float)(object)value) : BitConverter.DoubleToInt64Bits((double)(object)value))];

    [Fact]
    public void Multiply_OtherLayouts_AreRefused()
    {
        if (!GemmDot.IsSupported) return; // the kernel exists only where 512-bit vectors do
        Assert.Throws<PlatformNotSupportedException>(() =>
            Gemm.Multiply<float>(Gemm.Path.Dot, new float[4], false, new float[4], false, new float[4], 2, 2, 2, accumulate: false));
    }

    [Fact]
    public void Multiply_EachElement_DoesNotDependOnTheTileThatComputesIt()
    {
        if (!GemmDot.IsSupported) return; // the kernel exists only where 512-bit vectors do

        // Row 5 of a 6-row product is computed by a one-row tile; alone (m = 1 row offset) it is again a one-row
        // tile, but rows 0-3 are a 4×4 tile in the full product and one-row tiles when computed from row 1 on.
        const int M = 6, N = 7, K = 45;
        var random = new Random(3);
        float[] a = GemmTests.RandomArray<float>(random, M * K), b = GemmTests.RandomArray<float>(random, N * K);
        float[] whole = new float[M * N], shifted = new float[(M - 1) * N];
        Gemm.Multiply<float>(Gemm.Path.Dot, a, false, b, true, whole, M, N, K, accumulate: false);
        Gemm.Multiply<float>(Gemm.Path.Dot, a.AsSpan(K), false, b, true, shifted, M - 1, N, K, accumulate: false);
        Assert.Equal(whole.AsSpan(N).ToArray(), shifted);
    }

    [Theory]
    [InlineData(64, 128, 784)]
    [InlineData(17, 9, 33)]
    [InlineData(16, 5, 16)]
    [InlineData(15, 6, 48)]
    public void Multiply_WhereverTheOperandsStart_GivesTheSameBits(int m, int n, int k)
    {
        if (!GemmDot.IsSupported) return; // the kernel exists only where 512-bit vectors do

        // Shifting both operands by 0-15 floats puts their rows on and off cache lines (the kernel then copies B to
        // aligned rows when A has rows enough); the garbage collector places arrays so, and the bits must not follow.
        var random = new Random(HashCode.Combine(m, n, k));
        float[] a = GemmTests.RandomArray<float>(random, m * k), b = GemmTests.RandomArray<float>(random, n * k);
        float[] expected = new float[m * n];
        Gemm.Multiply<float>(Gemm.Path.Dot, a, false, b, true, expected, m, n, k, accumulate: false);
        GemmTests.AssertNearReference(a, false, b, true, new float[m * n], expected, m, n, k, false, $"Dot {m}×{n}×{k}");
        for (int shift = 1; shift < 16; shift++)
        {
            float[] shiftedA = new float[m * k + 15], shiftedB = new float[n * k + 15], c = new float[m * n];
            a.CopyTo(shiftedA, shift);
            b.CopyTo(shiftedB, 15 - shift);
            Gemm.Multiply<float>(Gemm.Path.Dot, shiftedA.AsSpan(shift), false, shiftedB.AsSpan(15 - shift), true, c, m, n, k, accumulate: false);
            Assert.Equal(expected, c);
        }
    }

    [Fact]
    public void Multiply_WeightLargerThanOneCopy_MatchesRowByRowProducts()
    {
        if (!GemmDot.IsSupported) return; // the kernel exists only where 512-bit vectors do

        // B of 350 rows × 801 floats (1.1 MB) is copied to aligned rows in two pieces; a one-row product (no copy)
        // must give each row of C the same bits.
        const int M = 17, N = 350, K = 801;
        var random = new Random(5);
        float[] a = GemmTests.RandomArray<float>(random, M * K), b = GemmTests.RandomArray<float>(random, N * K);
        float[] c = new float[M * N];
        Gemm.Multiply<float>(Gemm.Path.Dot, a, false, b, true, c, M, N, K, accumulate: false);
        GemmTests.AssertNearReference(a, false, b, true, new float[M * N], c, M, N, K, false, $"Dot {M}×{N}×{K}");
        for (int row = 0; row < M; row++)
        {
            float[] single = new float[N];
            Gemm.Multiply<float>(Gemm.Path.Dot, a.AsSpan(row * K, K), false, b, true, single, 1, N, K, accumulate: false);
            Assert.Equal(single, c.AsSpan(row * N, N).ToArray());
        }
    }

    [Theory]
    [InlineData(4, 4, 16)]
    [InlineData(8, 12, 784)]
    [InlineData(5, 7, 45)]
    [InlineData(17, 6, 100)]
    public void Multiply_Float32_SumsInTheStatedOrder(int m, int n, int k)
    {
        if (!GemmDot.IsSupported) return; // the kernel exists only where 512-bit vectors do

        // The order the class documents, computed element by element: lane l accumulates a[p]·b[p] for p ≡ l (mod 16)
        // by fused multiply-add, the 16 lanes are added as a tree of adjacent pairs (Vector512.Sum's order), then the
        // last k mod 16 terms one by one. Any order gives a near result; only this one gives these bits.
        var random = new Random(HashCode.Combine(m, n, k, 16));
        float[] a = GemmTests.RandomArray<float>(random, m * k), b = GemmTests.RandomArray<float>(random, n * k);
        float[] initial = GemmTests.RandomArray<float>(random, m * n), c = (float[])initial.Clone();
        Gemm.Multiply<float>(Gemm.Path.Dot, a, false, b, true, c, m, n, k, accumulate: true);
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                float[] lanes = new float[16];
                int whole = k / 16 * 16;
                for (int p = 0; p < whole; p++) lanes[p % 16] = MathF.FusedMultiplyAdd(a[i * k + p], b[j * k + p], lanes[p % 16]);
                while (lanes.Length > 1) lanes = [.. Enumerable.Range(0, lanes.Length / 2).Select(q => lanes[2 * q] + lanes[2 * q + 1])];
                float dot = lanes[0];
                for (int p = whole; p < k; p++) dot = MathF.FusedMultiplyAdd(a[i * k + p], b[j * k + p], dot);
                Assert.Equal(BitConverter.SingleToInt32Bits(dot + initial[i * n + j]), BitConverter.SingleToInt32Bits(c[i * n + j]));
            }
        }
    }

    private static void Check<T>(int m, int n, int k)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (!GemmDot.IsSupported) return; // the kernel exists only where 512-bit vectors do
        var random = new Random(HashCode.Combine(m, n, k));
        T[] a = GemmTests.RandomArray<T>(random, m * k), b = GemmTests.RandomArray<T>(random, k * n), initial = GemmTests.RandomArray<T>(random, m * n);
        foreach (bool accumulate in new[] { false, true })
        {
            T[] c = (T[])initial.Clone();
            Gemm.Multiply<T>(Gemm.Path.Dot, a, false, b, true, c, m, n, k, accumulate);
            GemmTests.AssertNearReference(a, false, b, true, initial, c, m, n, k, accumulate, $"Dot {m}×{n}×{k} acc={accumulate}");
        }
    }
}
