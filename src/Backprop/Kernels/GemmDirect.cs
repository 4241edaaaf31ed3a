using System.Buffers;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace Backprop.Kernels;

/// <summary>
/// Matrix products too small, or too thin, to repay packing: vector-matrix products (single-sample
/// inference) and tiny matrices, computed straight from the operands on the calling thread (a large x·Wᵀ for one
/// row x is split over the workers by columns).
/// </summary>
/// <remarks>
/// Each row of C is either a sum of rows of op(B) scaled by op(A)'s entries (B not transposed: the
/// vector runs along C's row) or a set of dot products (B transposed: the vector runs along k).
/// </remarks>
internal static unsafe class GemmDirect
{
    /// <summary>How many columns of C (in vectors) one pass keeps in registers.</summary>
    private const int Unroll = 4;

    /// <summary>
    /// A row vector times a transposed matrix with at least this many multiply-adds is split over the workers.
    /// Single-sample inference streams the whole weight matrix from L2, and two cores have twice the bandwidth.
    /// </summary>
    internal const long VectorParallelMinWork = 1 << 15;

    /// <summary>
    /// How much more of the weight the caller streams than each worker in a split row-vector product: a worker starts
    /// its piece after the caller starts its own, and the caller sees it finish later still, so equal pieces left the
    /// caller waiting; 24 KB is about that delay's worth of one core reading from L2.
    /// </summary>
    private const double CallerLeadBytes = 24 * 1024;

    /// <summary>Computes the whole product.</summary>
    public static void Multiply<T>(GemmOperands<T> operands)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (operands.N == 1 && operands.M > 1)
        {
            // A column of C has the layout of a row of Cᵀ = op(B)ᵀ·op(A)ᵀ; the row case is the fast one.
            operands = new GemmOperands<T>(
                operands.B, false, operands.A, !operands.TransposeA, operands.C, 1, operands.M, operands.K, operands.Accumulate);
        }

        int m = operands.M, k = operands.K;
        bool rowsOfAContiguous = m == 1 || !operands.TransposeA;
        long rowStrideA = operands.TransposeA ? 1 : k;
        long columnStrideA = operands.TransposeA ? m : 1;
        if (!operands.TransposeB)
        {
            for (int i = 0; i < m; i++)
            {
                ScaledRowSum(operands, operands.A + (i * rowStrideA), m == 1 ? 1 : columnStrideA, i);
            }

            return;
        }

        if (m == 1 && (long)operands.N * k >= VectorParallelMinWork)
        {
            VectorTimesTransposedInParallel(operands);
            return;
        }

        if (rowsOfAContiguous)
        {
            for (int i = 0; i < m; i++)
            {
                DotProducts(operands, operands.A + (i * rowStrideA), i, 0, operands.N);
            }

            return;
        }

        // Both transposed: gather each row of op(A) once so the dot products read it contiguously.
        T[] rented = ArrayPool<T>.Shared.Rent(k);
        fixed (T* row = rented)
        {
            for (int i = 0; i < m; i++)
            {
                for (int p = 0; p < k; p++)
                {
                    row[p] = operands.A[(p * columnStrideA) + i];
                }

                DotProducts(operands, row, i, 0, operands.N);
            }
        }

        ArrayPool<T>.Shared.Return(rented);
    }

    /// <summary>
    /// x·Wᵀ for one row x: each worker takes a range of whole <see cref="Unroll"/>-column blocks (a column's dot
    /// product is computed the same way in any block), and reads its rows of W from its own core's L2.
    /// </summary>
    private static void VectorTimesTransposedInParallel<T>(GemmOperands<T> operands)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = operands.N;
        int blocks = (n + Unroll - 1) / Unroll;
        int workers = Threads.WorkersFor(blocks);
        if (workers == 1)
        {
            DotProducts(operands, operands.A, 0, 0, n);
            return;
        }

        int lead = Math.Min(blocks / workers, (int)Math.Round(CallerLeadBytes / ((double)Unroll * operands.K * sizeof(T))));
        Threads.Run(workers, worker =>
        {
            int start = Math.Min(n, PieceStart(worker, workers, blocks, lead) * Unroll);
            int end = Math.Min(n, PieceStart(worker + 1, workers, blocks, lead) * Unroll);
            DotProducts(operands, operands.A, 0, start, end);
        });
    }

    /// <summary>The first block of piece <paramref name="worker"/>: the caller's piece is <paramref name="lead"/> blocks longer than the others.</summary>
    private static int PieceStart(int worker, int workers, int blocks, int lead) =>
        worker == 0 ? 0 : lead + (int)((long)(blocks - lead) * worker / workers);

    /// <summary>Row i of C = Σₚ a[p]·B[p, :], with B stored k×n.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ScaledRowSum<T>(in GemmOperands<T> operands, T* a, long stride, int i)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = operands.N, k = operands.K, width = Vector<T>.Count;
        T* c = operands.C + ((long)i * n);
        bool add = operands.Accumulate;
        int j = 0;
        for (; j <= n - (Unroll * width); j += Unroll * width)
        {
            Vector<T> sum0 = default, sum1 = default, sum2 = default, sum3 = default;
            T* b = operands.B + j;
            for (int p = 0; p < k; p++, b += n)
            {
                Vector<T> scale = new(a[p * stride]);
                sum0 = MultiplyAdd(scale, Vector.Load(b), sum0);
                sum1 = MultiplyAdd(scale, Vector.Load(b + width), sum1);
                sum2 = MultiplyAdd(scale, Vector.Load(b + (2 * width)), sum2);
                sum3 = MultiplyAdd(scale, Vector.Load(b + (3 * width)), sum3);
            }

            Store(c + j, sum0, add);
            Store(c + j + width, sum1, add);
            Store(c + j + (2 * width), sum2, add);
            Store(c + j + (3 * width), sum3, add);
        }

        for (; j <= n - width; j += width)
        {
            Vector<T> sum = default;
            T* b = operands.B + j;
            for (int p = 0; p < k; p++, b += n)
            {
                sum = MultiplyAdd(new Vector<T>(a[p * stride]), Vector.Load(b), sum);
            }

            Store(c + j, sum, add);
        }

        for (; j < n; j++)
        {
            T sum = T.Zero;
            T* b = operands.B + j;
            for (int p = 0; p < k; p++, b += n)
            {
                sum = T.FusedMultiplyAdd(a[p * stride], *b, sum);
            }

            c[j] = add ? c[j] + sum : sum;
        }
    }

    /// <summary>Columns [<paramref name="column0"/>, <paramref name="column1"/>) of row i of C: c[j] = a·B[j, :], with B stored n×k and <paramref name="a"/> contiguous.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void DotProducts<T>(in GemmOperands<T> operands, T* a, int i, int column0, int column1)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = column1, k = operands.K, width = Vector<T>.Count;
        T* c = operands.C + ((long)i * operands.N);
        bool add = operands.Accumulate;
        int j = column0;
        for (; j <= n - Unroll; j += Unroll)
        {
            T* b0 = operands.B + ((long)j * k);
            T* b1 = b0 + k, b2 = b1 + k, b3 = b2 + k;
            // C's old values are read before the long loop, not after it: when another core has just written them
            // (the bias, before a split inference product), the read is a cache miss that the loop then hides.
            T old0 = add ? c[j] : T.Zero, old1 = add ? c[j + 1] : T.Zero, old2 = add ? c[j + 2] : T.Zero, old3 = add ? c[j + 3] : T.Zero;
            // Two accumulators per column, for even and odd vectors of k, so a column's multiply-adds do not all
            // wait on one another's latency.
            Vector<T> sum0 = default, sum1 = default, sum2 = default, sum3 = default;
            Vector<T> odd0 = default, odd1 = default, odd2 = default, odd3 = default;
            int p = 0;
            for (; p <= k - (2 * width); p += 2 * width)
            {
                Vector<T> x = Vector.Load(a + p);
                Vector<T> y = Vector.Load(a + p + width);
                sum0 = MultiplyAdd(x, Vector.Load(b0 + p), sum0);
                sum1 = MultiplyAdd(x, Vector.Load(b1 + p), sum1);
                sum2 = MultiplyAdd(x, Vector.Load(b2 + p), sum2);
                sum3 = MultiplyAdd(x, Vector.Load(b3 + p), sum3);
                odd0 = MultiplyAdd(y, Vector.Load(b0 + p + width), odd0);
                odd1 = MultiplyAdd(y, Vector.Load(b1 + p + width), odd1);
                odd2 = MultiplyAdd(y, Vector.Load(b2 + p + width), odd2);
                odd3 = MultiplyAdd(y, Vector.Load(b3 + p + width), odd3);
            }

            if (p <= k - width)
            {
                Vector<T> x = Vector.Load(a + p);
                sum0 = MultiplyAdd(x, Vector.Load(b0 + p), sum0);
                sum1 = MultiplyAdd(x, Vector.Load(b1 + p), sum1);
                sum2 = MultiplyAdd(x, Vector.Load(b2 + p), sum2);
                sum3 = MultiplyAdd(x, Vector.Load(b3 + p), sum3);
                p += width;
            }

            T dot0 = Vector.Sum(sum0 + odd0), dot1 = Vector.Sum(sum1 + odd1), dot2 = Vector.Sum(sum2 + odd2), dot3 = Vector.Sum(sum3 + odd3);
            for (; p < k; p++)
            {
                dot0 = T.FusedMultiplyAdd(a[p], b0[p], dot0);
                dot1 = T.FusedMultiplyAdd(a[p], b1[p], dot1);
                dot2 = T.FusedMultiplyAdd(a[p], b2[p], dot2);
                dot3 = T.FusedMultiplyAdd(a[p], b3[p], dot3);
            }

            c[j] = add ? old0 + dot0 : dot0;
            c[j + 1] = add ? old1 + dot1 : dot1;
            c[j + 2] = add ? old2 + dot2 : dot2;
            c[j + 3] = add ? old3 + dot3 : dot3;
        }

        for (; j < n; j++)
        {
            T* b = operands.B + ((long)j * k);
            Vector<T> sum = default;
            int p = 0;
            for (; p <= k - width; p += width)
            {
                sum = MultiplyAdd(Vector.Load(a + p), Vector.Load(b + p), sum);
            }

            T dot = Vector.Sum(sum);
            for (; p < k; p++)
            {
                dot = T.FusedMultiplyAdd(a[p], b[p], dot);
            }

            c[j] = add ? c[j] + dot : dot;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store<T>(T* c, Vector<T> sum, bool add)
        where T : unmanaged
    {
        if (add)
        {
            sum += Vector.Load(c);
        }

        sum.Store(c);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector<T> MultiplyAdd<T>(Vector<T> x, Vector<T> y, Vector<T> sum)
        where T : unmanaged
    {
        if (typeof(T) == typeof(float))
        {
            return Vector.FusedMultiplyAdd(x.As<T, float>(), y.As<T, float>(), sum.As<T, float>()).As<float, T>();
        }

        return Vector.FusedMultiplyAdd(x.As<T, double>(), y.As<T, double>(), sum.As<T, double>()).As<double, T>();
    }
}
