using Backprop.Kernels;

namespace Backprop.Tests.Kernels;

[Collection("Threads")]
public sealed class PackedLinearTests
{
    /// <summary>
    /// Rows either side of the 8-row tile and of one row; outputs either side of a 16-column panel and a panel pair; depths 1, odd and the MLP's;
    /// 373 outputs at depth 784 span 24 panels, more than one column block (9 panels), alone and after a tile, 160 ten
    /// (a block and one panel, taken as one block), 256 at depth 512 sixteen (a block of 15 and one); tiles of
    /// 8 rows go through panels three at a time, so 3, 4 (two pairs), 5 and 7 panels, full and with a partial last one.
    /// </summary>
    public static TheoryData<int, int, int> Shapes() => new()
    {
        { 1, 1, 1 }, { 1, 10, 128 }, { 1, 128, 784 }, { 1, 17, 33 }, { 1, 80, 5 }, { 2, 3, 7 }, { 3, 16, 17 }, { 7, 33, 9 },
        { 8, 16, 16 }, { 9, 31, 13 }, { 15, 48, 3 }, { 17, 65, 101 }, { 64, 128, 784 }, { 65, 10, 128 }, { 33, 130, 40 },
        { 1, 373, 784 }, { 9, 373, 784 }, { 1, 63, 129 }, { 1, 65, 3 }, { 16, 64, 20 }, { 10, 63, 129 }, { 24, 100, 31 }, { 8, 112, 9 }, { 9, 160, 784 }, { 8, 256, 512 },
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Multiply_MatchesNaiveReference_WithAndWithoutBiasAndRelu(int m, int n, int k)
    {
        if (!PackedLinear.IsSupported) return; // the tiles need AVX-512
        var random = new Random(HashCode.Combine(m, n, k));
        float[] x = Random(random, m * k), w = Random(random, n * k), b = Random(random, n);
        foreach (bool withBias in new[] { false, true })
        {
            foreach (bool relu in new[] { false, true })
            {
                var y = Run(x, m, w, n, k, withBias ? b : null, relu);
                for (int i = 0; i < m; i++)
                {
                    for (int j = 0; j < n; j++)
                    {
                        // Naive reference in float64: Σₚ x[i,p]·W[j,p] (+ b[j]), then max(0, ·).
                        double sum = withBias ? b[j] : 0, magnitude = withBias ? Math.Abs(b[j]) : 0;
                        for (int p = 0; p < k; p++)
                        {
                            sum += (double)x[(i * k) + p] * w[(j * k) + p];
                            magnitude += Math.Abs((double)x[(i * k) + p] * w[(j * k) + p]);
                        }
                        double expected = relu ? Math.Max(0, sum) : sum;
                        Assert.True(Math.Abs(y[(i * n) + j] - expected) <= 1e-6 * (magnitude + 1),
                            $"[{i}, {j}] of {m}×{n}×{k} bias={withBias} relu={relu}: {y[(i * n) + j]} vs {expected}");
                    }
                }
            }
        }
    }

    [Theory]
    [InlineData(1, 128, 784)]
    [InlineData(5, 130, 40)]
    [InlineData(64, 128, 784)]
    [InlineData(203, 37, 50)]
    [InlineData(1003, 271, 251)] // 68 million multiply-adds: several pieces of rows per thread, claimed as threads come free
    public void Multiply_GivesTheSameBits_OnOneTwoAndThreeThreads(int m, int n, int k)
    {
        if (!PackedLinear.IsSupported) return; // the tiles need AVX-512
        var random = new Random(7);
        float[] x = Random(random, m * k), w = Random(random, n * k), b = Random(random, n);
        var one = ThreadCount.With(1, () => Run(x, m, w, n, k, b, relu: true));
        Assert.Equal(one, ThreadCount.With(2, () => Run(x, m, w, n, k, b, relu: true)));
        Assert.Equal(one, ThreadCount.With(3, () => Run(x, m, w, n, k, b, relu: true)));
    }

    [Fact]
    public void Multiply_OfASplitProductsOutput_GivesTheSameBitsOnAnyThreadCount_AndMatchesTheNaiveReference()
    {
        if (!PackedLinear.IsSupported) return; // the tiles need AVX-512
        // One row through 784 → 130 → 37, as single-sample inference runs a network: the first product is split over
        // the cores, so the second reads a row that other cores wrote; 130 and 37 leave partial panels.
        const int K = 784, Hidden = 130, N = 37;
        var random = new Random(13);
        float[] x = Random(random, K), w1 = Random(random, Hidden * K), b1 = Random(random, Hidden), w2 = Random(random, N * Hidden), b2 = Random(random, N);
        var first = PackedWeight.Of(Tensor.FromArray(w1, Hidden, K));
        var second = PackedWeight.Of(Tensor.FromArray(w2, N, Hidden));
        float[] Chain()
        {
            float[] hidden = new float[Hidden], y = new float[N];
            PackedLinear.Multiply(x, 1, first, b1, relu: true, hidden);
            PackedLinear.Multiply(hidden, 1, second, b2, relu: false, y);
            return y;
        }

        var one = ThreadCount.With(1, Chain);
        Assert.Equal(one, ThreadCount.With(2, Chain));
        Assert.Equal(one, ThreadCount.With(3, Chain));
        // The second product alone, from the hidden row the first one gave, computed here in float64.
        var hiddenRow = new float[Hidden];
        PackedLinear.Multiply(x, 1, first, b1, relu: true, hiddenRow);
        for (int j = 0; j < N; j++)
        {
            double sum = b2[j], magnitude = Math.Abs(b2[j]);
            for (int p = 0; p < Hidden; p++)
            {
                sum += (double)hiddenRow[p] * w2[(j * Hidden) + p];
                magnitude += Math.Abs((double)hiddenRow[p] * w2[(j * Hidden) + p]);
            }
            Assert.True(Math.Abs(one[j] - sum) <= 1e-6 * (magnitude + 1), $"[{j}]: {one[j]} vs {sum}");
        }
    }

    [Fact]
    public void Multiply_RowOutputs_DoNotDependOnTheOtherRowsOfTheCall()
    {
        if (!PackedLinear.IsSupported) return; // the tiles need AVX-512
        // 21 rows: two 8-row tiles and a padded tile of 5; each row alone goes through the one-row tiles.
        const int M = 21, N = 37, K = 50;
        var random = new Random(11);
        float[] x = Random(random, M * K), w = Random(random, N * K), b = Random(random, N);
        var all = Run(x, M, w, N, K, b, relu: false);
        for (int i = 0; i < M; i++)
        {
            var alone = Run(x.AsSpan(i * K, K).ToArray(), 1, w, N, K, b, relu: false);
            Assert.Equal(all.AsSpan(i * N, N).ToArray(), alone);
        }
        var lastThree = Run(x.AsSpan((M - 3) * K).ToArray(), 3, w, N, K, b, relu: false);
        Assert.Equal(all.AsSpan((M - 3) * N).ToArray(), lastThree);
    }

    [Fact]
    public void PackedWeight_IsPackedAgain_AfterTheWeightChangesInPlace()
    {
        if (!PackedLinear.IsSupported) return; // the tiles need AVX-512
        var weight = Tensor.FromArray(new float[] { 1, 2, 3, 4 }, 2, 2);
        var first = PackedWeight.Of(weight);
        Assert.Same(first, PackedWeight.Of(weight));
        weight.CopyFrom(Tensor.FromArray(new float[] { 5, 6, 7, 8 }, 2, 2));
        var second = PackedWeight.Of(weight);
        Assert.NotSame(first, second);
        // Panel 0, k = 0 holds W[0, 0] and W[1, 0] side by side; k = 1 holds W[0, 1] and W[1, 1].
        var panel = second.PanelValues(0);
        Assert.Equal([5f, 7f, 0f], panel[..3].ToArray());
        Assert.Equal([6f, 8f, 0f], panel[16..19].ToArray());
    }

    [Theory]
    [InlineData(1, 10, 33)]
    [InlineData(9, 37, 33)]
    [InlineData(13, 10, 128)]
    [InlineData(8, 5, 7)]
    public void Multiply_WritesExactlyTheOutputs_AndKeepsNaNThroughReluInAPartialPanel(int m, int n, int k)
    {
        if (!PackedLinear.IsSupported) return;
        var random = new Random(HashCode.Combine(m, n, k, 7));
        float[] x = Random(random, m * k), w = Random(random, n * k), b = Random(random, n);
        x[0] = float.NaN; // row 0: every sum NaN, in full and partial panels alike
        const int guard = 40;
        var y = new float[(m * n) + guard];
        Array.Fill(y, -7f);
        PackedLinear.Multiply(x, m, PackedWeight.Of(Tensor.FromArray(w, n, k)), b, true, y.AsSpan(0, m * n));
        for (int j = 0; j < n; j++) Assert.True(float.IsNaN(y[j]), $"[0, {j}] of {m}×{n}×{k}: {y[j]}, not NaN");
        for (int i = m * n; i < y.Length; i++) Assert.Equal(-7f, y[i]);
        for (int i = n; i < m * n; i++) Assert.True(y[i] >= 0, $"[{i / n}, {i % n}] of {m}×{n}×{k}: {y[i]} after ReLU");
    }

    private static float[] Run(float[] x, int m, float[] w, int n, int k, float[]? bias, bool relu)
    {
        var y = new float[m * n];
        PackedLinear.Multiply(x, m, PackedWeight.Of(Tensor.FromArray(w, n, k)), bias, relu, y);
        return y;
    }

    private static float[] Random(Random random, int length)
    {
        var values = new float[length];
        for (int i = 0; i < length; i++) values[i] = (float)((random.NextDouble() * 2) - 1);
        return values;
    }
}
