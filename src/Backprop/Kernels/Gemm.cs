using System.Numerics;

namespace Backprop.Kernels;

/// <summary>
/// C = op(A)·op(B) (or C += when accumulating), row-major. op(A) is m×k (A stored k×m when transposed),
/// op(B) is k×n (B stored n×k when transposed).
/// </summary>
internal static class Gemm
{
    public static void Multiply(ReadOnlySpan<float> a, bool transposeA, ReadOnlySpan<float> b, bool transposeB, Span<float> c, int m, int n, int k, bool accumulate) =>
        Reference(a, transposeA, b, transposeB, c, m, n, k, accumulate);

    public static void Multiply(ReadOnlySpan<double> a, bool transposeA, ReadOnlySpan<double> b, bool transposeB, Span<double> c, int m, int n, int k, bool accumulate) =>
        Reference(a, transposeA, b, transposeB, c, m, n, k, accumulate);

    private static void Reference<T>(ReadOnlySpan<T> a, bool transposeA, ReadOnlySpan<T> b, bool transposeB, Span<T> c, int m, int n, int k, bool accumulate)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (!accumulate) c[..(m * n)].Clear();
        for (int i = 0; i < m; i++)
            for (int p = 0; p < k; p++)
            {
                T aip = transposeA ? a[p * m + i] : a[i * k + p];
                for (int j = 0; j < n; j++)
                    c[i * n + j] += aip * (transposeB ? b[j * k + p] : b[p * n + j]);
            }
    }
}
