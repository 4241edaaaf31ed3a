using System.Runtime.CompilerServices;
using System.Numerics;
using Backprop.Kernels;

namespace Backprop.Tests.Kernels;

public sealed class GemmTests
{
    public static TheoryData<string> SupportedPaths()
    {
        var paths = new TheoryData<string> { nameof(Gemm.Path.Automatic), nameof(Gemm.Path.Direct), nameof(Gemm.Path.Portable) };
        if (Avx512MicroKernel<float>.IsSupported)
        {
            paths.Add(nameof(Gemm.Path.Avx512));
        }

        if (Avx2MicroKernel<float>.IsSupported)
        {
            paths.Add(nameof(Gemm.Path.Avx2));
        }

        return paths;
    }

    [Theory]
    [MemberData(nameof(SupportedPaths))]
    public void Multiply_Float32_MatchesNaiveProduct(string path)
    {
        var chosen = Enum.Parse<Gemm.Path>(path);
        foreach (var (m, n, k) in Shapes<float>(chosen))
        {
            CheckAllLayouts<float>(chosen, m, n, k);
        }
    }

    [Theory]
    [MemberData(nameof(SupportedPaths))]
    public void Multiply_Float64_MatchesNaiveProduct(string path)
    {
        var chosen = Enum.Parse<Gemm.Path>(path);
        foreach (var (m, n, k) in Shapes<double>(chosen))
        {
            CheckAllLayouts<double>(chosen, m, n, k);
        }
    }

    [Fact]
    public void Multiply_TwoByTwo_GivesTheTextbookProduct()
    {
        // [1 2; 3 4]·[5 6; 7 8] = [19 22; 43 50], worked by hand.
        float[] c = new float[4];
        Gemm.Multiply([1f, 2f, 3f, 4f], false, [5f, 6f, 7f, 8f], false, c, 2, 2, 2, accumulate: false);
        Assert.Equal([19f, 22f, 43f, 50f], c);
    }

    [Fact]
    public void Multiply_DepthZero_ClearsOrKeepsC()
    {
        double[] c = [1, 2, 3, 4, 5, 6];
        Gemm.Multiply(ReadOnlySpan<double>.Empty, false, ReadOnlySpan<double>.Empty, false, c, 2, 3, 0, accumulate: true);
        Assert.Equal([1, 2, 3, 4, 5, 6], c);
        Gemm.Multiply(ReadOnlySpan<double>.Empty, false, ReadOnlySpan<double>.Empty, false, c, 2, 3, 0, accumulate: false);
        Assert.Equal(new double[6], c);
    }

    [Fact]
    public void Multiply_EmptyOutput_DoesNothing()
    {
        float[] c = [7f];
        Gemm.Multiply(ReadOnlySpan<float>.Empty, false, [1f, 2f, 3f], false, c, 0, 3, 1, accumulate: false);
        Gemm.Multiply([1f, 2f], false, ReadOnlySpan<float>.Empty, false, c, 2, 0, 1, accumulate: false);
        Assert.Equal([7f], c);
    }

    [Theory]
    [InlineData(5, 12, 24, "a", "Span a has 5 elements, but op(A) is 2×3 and needs 6.")]
    [InlineData(6, 11, 24, "b", "Span b has 11 elements, but op(B) is 3×4 and needs 12.")]
    [InlineData(6, 12, 7, "c", "Span c has 7 elements, but C is 2×4 and needs 8.")]
    public void Multiply_ShortSpan_ThrowsQuotingTheSizes(int lengthA, int lengthB, int lengthC, string name, string message)
    {
        var error = Assert.Throws<ArgumentException>(() =>
            Gemm.Multiply(new float[lengthA], false, new float[lengthB], false, new float[lengthC], 2, 4, 3, accumulate: false));
        Assert.Equal(name, error.ParamName);
        Assert.StartsWith(message, error.Message);
    }

    [Fact]
    public void Multiply_NegativeSize_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() =>
            Gemm.Multiply(new double[4], false, new double[4], false, new double[4], 2, -1, 2, accumulate: false));
    }

    /// <summary>
    /// Shapes around every blocking edge of the path (MR, NR, KC, NC ± 1), plus tiny, odd and prime sizes, and shapes
    /// whose B the packed paths read in place or copy.
    /// </summary>
    private static List<(int M, int N, int K)> Shapes<T>(Gemm.Path path)
        where T : unmanaged
    {
        var shapes = new List<(int, int, int)> { (1, 1, 1), (2, 2, 2), (1, 7, 13), (5, 1, 9), (3, 5, 1), (1, 67, 40), (37, 1, 41), (23, 29, 31) };
        (int rows, int columns) = path switch
        {
            Gemm.Path.Avx512 => (Avx512MicroKernel<T>.Rows, Avx512MicroKernel<T>.Columns),
            Gemm.Path.Avx2 => (Avx2MicroKernel<T>.Rows, Avx2MicroKernel<T>.Columns),
            Gemm.Path.Portable => (PortableMicroKernel<T>.Rows, PortableMicroKernel<T>.Columns),
            _ => (0, 0),
        };
        if (rows == 0)
        {
            shapes.AddRange([(4, 9, 17), (19, 33, 7), (2, 64, 3), (61, 53, 59), (1, 130, 257)]);
            return shapes;
        }

        int depth = GemmDriver.DepthBlock<T>(rows);
        int width = GemmDriver.ColumnBlock<T>(depth, columns);
        shapes.AddRange(
        [
            (rows, columns, 5), (rows - 1, columns + 1, 3), (rows + 1, columns - 1, 2),
            (2 * rows + 1, 3 * columns - 1, depth - 1), (rows - 1, columns + 1, depth + 1), (rows + 1, 2, 2 * depth + 3),
            (3, width + 1, 3), (rows + 2, width - 1, 2), (2, 3, depth + 1), (97, 89, 13),

            // Past either bound of reading a row-major B in place, so that B is packed.
            ((GemmDriver.InPlaceMaxRowPanels * rows) + 1, columns + 3, 7), (3, (GemmDriver.InPlaceMaxBytes / (250 * Unsafe.SizeOf<T>())) + 5, 250),
        ]);
        return shapes;
    }

    private static void CheckAllLayouts<T>(Gemm.Path path, int m, int n, int k)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var random = new Random(HashCode.Combine(m, n, k));
        T[] a = RandomArray<T>(random, m * k);
        T[] b = RandomArray<T>(random, k * n);
        T[] initial = RandomArray<T>(random, m * n);
        foreach (bool transposeA in new[] { false, true })
        {
            foreach (bool transposeB in new[] { false, true })
            {
                foreach (bool accumulate in new[] { false, true })
                {
                    T[] c = (T[])initial.Clone();
                    Gemm.Multiply<T>(path, a, transposeA, b, transposeB, c, m, n, k, accumulate);
                    AssertNearReference(a, transposeA, b, transposeB, initial, c, m, n, k, accumulate, $"{path} {m}×{n}×{k} tA={transposeA} tB={transposeB} acc={accumulate}");
                }
            }
        }
    }

    /// <summary>
    /// Compares with a double-accumulated triple loop, allowing the worst-case rounding bound of a
    /// length-k dot product, about k·u·Σ|aᵢₚ·bₚⱼ| (Higham, Accuracy and Stability, §3.1), doubled
    /// so that the reference's own rounding is covered in float64.
    /// </summary>
    internal static void AssertNearReference<T>(T[] a, bool transposeA, T[] b, bool transposeB, T[] initial, T[] c, int m, int n, int k, bool accumulate, string label)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        double unitRoundoff = double.CreateChecked(T.One - T.BitDecrement(T.One));
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                double sum = accumulate ? double.CreateChecked(initial[(i * n) + j]) : 0;
                double magnitude = Math.Abs(sum);
                for (int p = 0; p < k; p++)
                {
                    double x = double.CreateChecked(transposeA ? a[(p * m) + i] : a[(i * k) + p]);
                    double y = double.CreateChecked(transposeB ? b[(j * k) + p] : b[(p * n) + j]);
                    sum += x * y;
                    magnitude += Math.Abs(x * y);
                }

                double actual = double.CreateChecked(c[(i * n) + j]);
                double tolerance = 2 * (k + 2) * unitRoundoff * magnitude;
                if (Math.Abs(actual - sum) > tolerance)
                {
                    Assert.Fail($"{label}: C[{i},{j}] = {actual}, expected {sum} ± {tolerance}");
                }
            }
        }
    }

    internal static T[] RandomArray<T>(Random random, int length)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var values = new T[length];
        for (int i = 0; i < length; i++)
        {
            values[i] = T.CreateChecked((random.NextDouble() * 2) - 1);
        }

        return values;
    }
}
