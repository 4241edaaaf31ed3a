using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Backprop.Kernels;

/// <summary>
/// C = A·Bᵀ (B stored n×k, as a dense layer's weight [outputs, inputs]) as dot products along k, without packing:
/// the forward pass of a dense layer for a small batch.
/// </summary>
/// <remarks>
/// <para>
/// The packed kernels copy all of B into panels on every call; for y = x·Wᵀ that is a transposing gather of the
/// whole weight, and with a few rows of x there is too little arithmetic per copied element to repay it. Here both
/// operands are read contiguously along k, in register tiles of 4 rows of A × 4 rows of B: the 16 dot products share
/// each loaded vector four times.
/// </para>
/// <para>
/// A .NET array starts wherever the garbage collector puts it, rarely on a 64-byte line, and then every 512-bit load
/// reads two lines. B's rows, streamed from L2 once per 4 rows of A, are therefore copied (not rearranged) to rows
/// that start on lines when they do not already; A's rows stay in L1 across a tile row and are read where they lie.
/// The copy moves no element to another lane, so the sums, and the bits, are those of the uncopied rows.
/// </para>
/// <para>
/// Every element of C is reduced in one fixed order whatever tile computes it: 512-bit lanes accumulate by fused
/// multiply-add over k in steps of a vector, the lanes are summed as a tree of adjacent pairs (Vector512.Sum's order,
/// which a full float tile reproduces for its 16 sums at once), then the remaining k (fewer than a vector) are added
/// one by one. Work is split over rows (or columns) of C only, so results are bit-identical for any thread count.
/// </para>
/// </remarks>
internal static unsafe class GemmDot
{
    /// <summary>Rows of A (and of B) in one register tile.</summary>
    private const int Tile = 4;

    /// <summary>
    /// Rows of A from which B's rows are copied to cache-line boundaries when they do not start on one: each copied
    /// element is then loaded once per 4 rows of A from the copy, where every unaligned load would read two lines.
    /// </summary>
    /// <remarks>
    /// x·Wᵀ with W [128, 784], one thread, both operands off a line: 16 rows took 35 µs either way, 32 rows 71 → 58 µs
    /// copied, 64 rows 141 → 103 µs (81 µs when both operands start on lines).
    /// </remarks>
    private const int AlignedCopyMinRows = 16;

    /// <summary>At most this many bytes of B are copied at a time, the size of the packed path's B block.</summary>
    private const int CopyBytes = 1024 * 1024;

    /// <summary>Whether this machine has the 512-bit vectors the kernel is written for.</summary>
    public static bool IsSupported => Vector512.IsHardwareAccelerated;

    /// <summary>
    /// Computes rows [<paramref name="row0"/>, <paramref name="row1"/>) × columns [<paramref name="column0"/>, <paramref name="column1"/>) of C,
    /// from a copy of B's rows on 64-byte boundaries where B's rows do not start on one and A has enough rows to repay it.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Multiply<T>(in GemmOperands<T> operands, int row0, int row1, int column0, int column1)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int k = operands.K;
        int stride = CacheLines.RoundUp<T>(k); // the elements of a row of B's copy: whole cache lines, so every row starts on one
        if (row1 - row0 < AlignedCopyMinRows || (stride == k && (nuint)operands.B % CacheLines.Bytes == 0))
        {
            Tiles(operands, row0, row1, column0, column1, operands.B + ((long)column0 * k), k);
            return;
        }

        int chunk = Math.Max(Tile, CopyBytes / (stride * sizeof(T)) / Tile * Tile);
        T* copy = GemmWorkspace<T>.ForCurrentThread(0, Math.Min(chunk, column1 - column0) * stride, 0).PackedB;
        for (int j = column0; j < column1; j += chunk)
        {
            int end = Math.Min(column1, j + chunk);
            for (int row = j; row < end; row++)
            {
                CopyRow(operands.B + ((long)row * k), copy + ((long)(row - j) * stride), k);
            }

            Tiles(operands, row0, row1, j, end, copy, stride);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void CopyRow<T>(T* from, T* to, int k)
        where T : unmanaged
    {
        int width = Vector512<T>.Count, p = 0;
        for (; p <= k - (2 * width); p += 2 * width)
        {
            var first = Vector512.Load(from + p);
            var second = Vector512.Load(from + p + width);
            first.StoreAligned(to + p);
            second.StoreAligned(to + p + width);
        }

        for (; p < k; p++) to[p] = from[p];
    }

    /// <summary>
    /// The tiles of one rectangle of C; <paramref name="rowsB"/> points at the row of B for <paramref name="column0"/>,
    /// the next row <paramref name="strideB"/> elements on.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Tiles<T>(in GemmOperands<T> operands, int row0, int row1, int column0, int column1, T* rowsB, int strideB)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int k = operands.K, n = operands.N;
        T* a = operands.A, c = operands.C;
        var epilogue = new Epilogue<T>(operands.Accumulate, operands.Bias, operands.Relu);
        int i = row0;
        for (; i <= row1 - Tile; i += Tile)
        {
            int j = column0;
            for (; j <= column1 - Tile; j += Tile)
            {
                Block4x4(a + ((long)i * k), rowsB + ((long)(j - column0) * strideB), strideB, k, c + ((long)i * n) + j, n, epilogue.At(j));
            }

            for (; j < column1; j++)
            {
                for (int r = 0; r < Tile; r++)
                {
                    Block1x4(a + ((long)(i + r) * k), rowsB + ((long)(j - column0) * strideB), strideB, k, c + ((long)(i + r) * n) + j, epilogue.At(j), 1);
                }
            }
        }

        for (; i < row1; i++)
        {
            int j = column0;
            for (; j <= column1 - Tile; j += Tile)
            {
                Block1x4(a + ((long)i * k), rowsB + ((long)(j - column0) * strideB), strideB, k, c + ((long)i * n) + j, epilogue.At(j), Tile);
            }

            for (; j < column1; j++)
            {
                Block1x4(a + ((long)i * k), rowsB + ((long)(j - column0) * strideB), strideB, k, c + ((long)i * n) + j, epilogue.At(j), 1);
            }
        }
    }

    /// <summary>c[r, s] (op)= a_r · b_s for 4 rows of A (stride k) and 4 rows of B (stride ldb); C with stride ldc.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Block4x4<T>(T* a, T* b, int ldb, int k, T* c, int ldc, Epilogue<T> epilogue)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int width = Vector512<T>.Count;
        T* a1 = a + k, a2 = a1 + k, a3 = a2 + k;
        T* b1 = b + ldb, b2 = b1 + ldb, b3 = b2 + ldb;
        Vector512<T> c00 = default, c01 = default, c02 = default, c03 = default;
        Vector512<T> c10 = default, c11 = default, c12 = default, c13 = default;
        Vector512<T> c20 = default, c21 = default, c22 = default, c23 = default;
        Vector512<T> c30 = default, c31 = default, c32 = default, c33 = default;
        int p = 0;
        for (; p <= k - width; p += width)
        {
            var w0 = Vector512.Load(b + p);
            var w1 = Vector512.Load(b1 + p);
            var w2 = Vector512.Load(b2 + p);
            var w3 = Vector512.Load(b3 + p);
            var x = Vector512.Load(a + p);
            c00 = Fma(x, w0, c00); c01 = Fma(x, w1, c01); c02 = Fma(x, w2, c02); c03 = Fma(x, w3, c03);
            x = Vector512.Load(a1 + p);
            c10 = Fma(x, w0, c10); c11 = Fma(x, w1, c11); c12 = Fma(x, w2, c12); c13 = Fma(x, w3, c13);
            x = Vector512.Load(a2 + p);
            c20 = Fma(x, w0, c20); c21 = Fma(x, w1, c21); c22 = Fma(x, w2, c22); c23 = Fma(x, w3, c23);
            x = Vector512.Load(a3 + p);
            c30 = Fma(x, w0, c30); c31 = Fma(x, w1, c31); c32 = Fma(x, w2, c32); c33 = Fma(x, w3, c33);
        }

        if (typeof(T) == typeof(float) && p == k && Avx512F.IsSupported)
        {
            var row0 = PairSums(PairSums(F(c00), F(c01)), PairSums(F(c02), F(c03)));
            var row1 = PairSums(PairSums(F(c10), F(c11)), PairSums(F(c12), F(c13)));
            var row2 = PairSums(PairSums(F(c20), F(c21)), PairSums(F(c22), F(c23)));
            var row3 = PairSums(PairSums(F(c30), F(c31)), PairSums(F(c32), F(c33)));
            StoreRows((float*)c, ldc, epilogue, PairSums(PairSums(row0, row1), PairSums(row2, row3)));
            return;
        }

        FinishRow(c, epilogue, a, b, ldb, p, k, c00, c01, c02, c03);
        FinishRow(c + ldc, epilogue, a1, b, ldb, p, k, c10, c11, c12, c13);
        FinishRow(c + (2 * ldc), epilogue, a2, b, ldb, p, k, c20, c21, c22, c23);
        FinishRow(c + (3 * ldc), epilogue, a3, b, ldb, p, k, c30, c31, c32, c33);
    }

    /// <summary>
    /// Stores one row of a tile from its four lane sums (<paramref name="s0"/> … <paramref name="s3"/>, against rows of B
    /// <paramref name="ldb"/> apart), adding the last k − p terms one by one: the path of double, and of a depth that is
    /// not a whole number of vectors. A method of its own, not inlined, so that compiling a kernel for the float path alone
    /// does not compile this one four times over (Block4x4 took the JIT compiler about 10 ms, inside the first training step).
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void FinishRow<T>(T* c, Epilogue<T> epilogue, T* a, T* b, int ldb, int p, int k, Vector512<T> s0, Vector512<T> s1, Vector512<T> s2, Vector512<T> s3)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        T* b1 = b + ldb, b2 = b1 + ldb, b3 = b2 + ldb;
        Store(c, epilogue, Finish(s0, a, b, p, k), Finish(s1, a, b1, p, k), Finish(s2, a, b2, p, k), Finish(s3, a, b3, p, k));
    }

    /// <summary>
    /// The sums of adjacent lanes of x then of y, [x0+x1, x2+x3, …, y14+y15]: applied four times over the 16 accumulators
    /// of a tile, it adds each accumulator's lanes in Vector512.Sum's order (a tree of adjacent pairs, which the tests
    /// check element by element) with 45 instructions for all 16 instead of about ten for each.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> PairSums(Vector512<float> x, Vector512<float> y) =>
        Avx512F.PermuteVar16x32x2(x, Vector512.Create(0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30), y)
        + Avx512F.PermuteVar16x32x2(x, Vector512.Create(1, 3, 5, 7, 9, 11, 13, 15, 17, 19, 21, 23, 25, 27, 29, 31), y);

    /// <summary>Writes (or adds) a 4×4 tile whose row r is lanes 4r to 4r + 3 of <paramref name="tile"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreRows<T>(float* c, int ldc, Epilogue<T> epilogue, Vector512<float> tile)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        StoreRow(c, epilogue, tile.GetLower().GetLower());
        StoreRow(c + ldc, epilogue, tile.GetLower().GetUpper());
        StoreRow(c + (2 * ldc), epilogue, tile.GetUpper().GetLower());
        StoreRow(c + (3 * ldc), epilogue, tile.GetUpper().GetUpper());
    }

    /// <summary>One row of a 4×4 float tile, through the epilogue in the order the unfused passes take (see <see cref="Epilogue{T}"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreRow<T>(float* c, Epilogue<T> epilogue, Vector128<float> row)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (epilogue.Add) row += Vector128.Load(c);
        if (epilogue.Bias != null) row += Vector128.Load((float*)epilogue.Bias);
        if (epilogue.Relu) row = Vector128.ConditionalSelect(Vector128.LessThanOrEqual(row, Vector128<float>.Zero), Vector128<float>.Zero, row);
        row.Store(c);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> F<T>(Vector512<T> lanes)
        where T : unmanaged => lanes.As<T, float>();

    /// <summary>c[s] (op)= a · b_s for one row of A and <paramref name="count"/> (4 or 1) rows of B (stride ldb).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Block1x4<T>(T* a, T* b, int ldb, int k, T* c, Epilogue<T> epilogue, int count)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int width = Vector512<T>.Count;
        if (count == 1)
        {
            Vector512<T> sum = default;
            int q = 0;
            for (; q <= k - width; q += width)
            {
                sum = Fma(Vector512.Load(a + q), Vector512.Load(b + q), sum);
            }

            c[0] = epilogue.Apply(Finish(sum, a, b, q, k), c[0], 0);
            return;
        }

        T* b1 = b + ldb, b2 = b1 + ldb, b3 = b2 + ldb;
        Vector512<T> c0 = default, c1 = default, c2 = default, c3 = default;
        int p = 0;
        for (; p <= k - width; p += width)
        {
            var x = Vector512.Load(a + p);
            c0 = Fma(x, Vector512.Load(b + p), c0);
            c1 = Fma(x, Vector512.Load(b1 + p), c1);
            c2 = Fma(x, Vector512.Load(b2 + p), c2);
            c3 = Fma(x, Vector512.Load(b3 + p), c3);
        }

        FinishRow(c, epilogue, a, b, ldb, p, k, c0, c1, c2, c3);
    }

    /// <summary>The dot product from its lane sums: the lanes added, then the k − p remaining terms in order.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static T Finish<T>(Vector512<T> lanes, T* a, T* b, int p, int k)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        T dot = Vector512.Sum(lanes);
        for (; p < k; p++)
        {
            dot = T.FusedMultiplyAdd(a[p], b[p], dot);
        }

        return dot;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store<T>(T* c, Epilogue<T> epilogue, T d0, T d1, T d2, T d3)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        c[0] = epilogue.Apply(d0, c[0], 0);
        c[1] = epilogue.Apply(d1, c[1], 1);
        c[2] = epilogue.Apply(d2, c[2], 2);
        c[3] = epilogue.Apply(d3, c[3], 3);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<T> Fma<T>(Vector512<T> x, Vector512<T> y, Vector512<T> sum)
        where T : unmanaged
    {
        if (typeof(T) == typeof(float))
        {
            return Vector512.FusedMultiplyAdd(x.As<T, float>(), y.As<T, float>(), sum.As<T, float>()).As<float, T>();
        }

        return Vector512.FusedMultiplyAdd(x.As<T, double>(), y.As<T, double>(), sum.As<T, double>()).As<double, T>();
    }
}
