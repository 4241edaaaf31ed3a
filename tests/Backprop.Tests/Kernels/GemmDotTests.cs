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
