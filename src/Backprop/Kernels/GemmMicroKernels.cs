using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Backprop.Kernels;

/// <summary>
/// A register-tiled GEMM micro-kernel: the product of a packed <see cref="Rows"/>×depth panel of A
/// and a packed depth×<see cref="Columns"/> panel of B, written to or added to a tile of C.
/// </summary>
/// <remarks>
/// Packed A holds, for each k, the <see cref="Rows"/> values of one column of the panel; B's panel holds,
/// for each k, the <see cref="Columns"/> values of one row (packed, or read in place from a row-major B).
/// Each element of the tile is one chain of fused multiply-adds over k, in order, starting from zero; the
/// chain is the same whatever the tile's position or where B is read from, which is what keeps results
/// independent of how work is split.
/// </remarks>
/// <typeparam name="T">float or double.</typeparam>
internal unsafe interface IGemmMicroKernel<T>
    where T : unmanaged
{
    /// <summary>Tile height (MR).</summary>
    static abstract int Rows { get; }

    /// <summary>Tile width (NR), a multiple of the vector width.</summary>
    static abstract int Columns { get; }

    /// <summary>Whether this machine runs the kernel's instructions natively.</summary>
    static abstract bool IsSupported { get; }

    /// <summary>
    /// C tile = Ap·Bp, or C tile += Ap·Bp when <paramref name="add"/>; the <see cref="Columns"/> values of B for one k
    /// lie together, those of the next k <paramref name="strideB"/> elements on (<see cref="Columns"/> when packed).
    /// </summary>
    static abstract void Run(T* packedA, T* packedB, int strideB, int depth, T* c, int rowStride, bool add);
}

/// <summary>12×2-vector tile on AVX-512: 24 of the 32 zmm registers accumulate, 2 hold B, 1 holds A.</summary>
internal readonly unsafe struct Avx512MicroKernel<T> : IGemmMicroKernel<T>
    where T : unmanaged
{
    public static int Rows => 12;

    public static int Columns => 2 * Vector512<T>.Count;

    public static bool IsSupported => Avx512F.IsSupported;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run(T* packedA, T* packedB, int strideB, int depth, T* c, int rowStride, bool add)
    {
        int width = Vector512<T>.Count;
        Vector512<T> c00 = default, c01 = default, c10 = default, c11 = default;
        Vector512<T> c20 = default, c21 = default, c30 = default, c31 = default;
        Vector512<T> c40 = default, c41 = default, c50 = default, c51 = default;
        Vector512<T> c60 = default, c61 = default, c70 = default, c71 = default;
        Vector512<T> c80 = default, c81 = default, c90 = default, c91 = default;
        Vector512<T> ca0 = default, ca1 = default, cb0 = default, cb1 = default;
        CTile.Prefetch(c, rowStride, 12, 2 * width);

        T* a = packedA;
        T* b = packedB;
        for (int p = 0; p < depth; p++)
        {
            Vector512<T> b0 = Vector512.Load(b);
            Vector512<T> b1 = Vector512.Load(b + width);
            Vector512<T> ai = Vector512.Create(a[0]);
            c00 = Fma(ai, b0, c00);
            c01 = Fma(ai, b1, c01);
            ai = Vector512.Create(a[1]);
            c10 = Fma(ai, b0, c10);
            c11 = Fma(ai, b1, c11);
            ai = Vector512.Create(a[2]);
            c20 = Fma(ai, b0, c20);
            c21 = Fma(ai, b1, c21);
            ai = Vector512.Create(a[3]);
            c30 = Fma(ai, b0, c30);
            c31 = Fma(ai, b1, c31);
            ai = Vector512.Create(a[4]);
            c40 = Fma(ai, b0, c40);
            c41 = Fma(ai, b1, c41);
            ai = Vector512.Create(a[5]);
            c50 = Fma(ai, b0, c50);
            c51 = Fma(ai, b1, c51);
            ai = Vector512.Create(a[6]);
            c60 = Fma(ai, b0, c60);
            c61 = Fma(ai, b1, c61);
            ai = Vector512.Create(a[7]);
            c70 = Fma(ai, b0, c70);
            c71 = Fma(ai, b1, c71);
            ai = Vector512.Create(a[8]);
            c80 = Fma(ai, b0, c80);
            c81 = Fma(ai, b1, c81);
            ai = Vector512.Create(a[9]);
            c90 = Fma(ai, b0, c90);
            c91 = Fma(ai, b1, c91);
            ai = Vector512.Create(a[10]);
            ca0 = Fma(ai, b0, ca0);
            ca1 = Fma(ai, b1, ca1);
            ai = Vector512.Create(a[11]);
            cb0 = Fma(ai, b0, cb0);
            cb1 = Fma(ai, b1, cb1);
            a += 12;
            b += strideB;
        }

        Store(c, c00, c01, add);
        Store(c + rowStride, c10, c11, add);
        Store(c + (2 * rowStride), c20, c21, add);
        Store(c + (3 * rowStride), c30, c31, add);
        Store(c + (4 * rowStride), c40, c41, add);
        Store(c + (5 * rowStride), c50, c51, add);
        Store(c + (6 * rowStride), c60, c61, add);
        Store(c + (7 * rowStride), c70, c71, add);
        Store(c + (8 * rowStride), c80, c81, add);
        Store(c + (9 * rowStride), c90, c91, add);
        Store(c + (10 * rowStride), ca0, ca1, add);
        Store(c + (11 * rowStride), cb0, cb1, add);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<T> Fma(Vector512<T> x, Vector512<T> y, Vector512<T> sum)
    {
        if (typeof(T) == typeof(float))
        {
            return Avx512F.FusedMultiplyAdd(x.AsSingle(), y.AsSingle(), sum.AsSingle()).As<float, T>();
        }

        return Avx512F.FusedMultiplyAdd(x.AsDouble(), y.AsDouble(), sum.AsDouble()).As<double, T>();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store(T* row, Vector512<T> left, Vector512<T> right, bool add)
    {
        T* rightHalf = row + Vector512<T>.Count;
        if (add)
        {
            left += Vector512.Load(row);
            right += Vector512.Load(rightHalf);
        }

        left.Store(row);
        right.Store(rightHalf);
    }
}

/// <summary>6×2-vector tile on AVX2+FMA: 12 of the 16 ymm registers accumulate (the Haswell layout).</summary>
internal readonly unsafe struct Avx2MicroKernel<T> : IGemmMicroKernel<T>
    where T : unmanaged
{
    public static int Rows => 6;

    public static int Columns => 2 * Vector256<T>.Count;

    public static bool IsSupported => Avx2.IsSupported && Fma.IsSupported;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run(T* packedA, T* packedB, int strideB, int depth, T* c, int rowStride, bool add)
    {
        int width = Vector256<T>.Count;
        Vector256<T> c00 = default, c01 = default, c10 = default, c11 = default;
        Vector256<T> c20 = default, c21 = default, c30 = default, c31 = default;
        Vector256<T> c40 = default, c41 = default, c50 = default, c51 = default;
        CTile.Prefetch(c, rowStride, 6, 2 * width);
        T* a = packedA;
        T* b = packedB;
        for (int p = 0; p < depth; p++)
        {
            Vector256<T> b0 = Vector256.Load(b);
            Vector256<T> b1 = Vector256.Load(b + width);
            Vector256<T> ai = Vector256.Create(a[0]);
            c00 = MultiplyAdd(ai, b0, c00);
            c01 = MultiplyAdd(ai, b1, c01);
            ai = Vector256.Create(a[1]);
            c10 = MultiplyAdd(ai, b0, c10);
            c11 = MultiplyAdd(ai, b1, c11);
            ai = Vector256.Create(a[2]);
            c20 = MultiplyAdd(ai, b0, c20);
            c21 = MultiplyAdd(ai, b1, c21);
            ai = Vector256.Create(a[3]);
            c30 = MultiplyAdd(ai, b0, c30);
            c31 = MultiplyAdd(ai, b1, c31);
            ai = Vector256.Create(a[4]);
            c40 = MultiplyAdd(ai, b0, c40);
            c41 = MultiplyAdd(ai, b1, c41);
            ai = Vector256.Create(a[5]);
            c50 = MultiplyAdd(ai, b0, c50);
            c51 = MultiplyAdd(ai, b1, c51);
            a += 6;
            b += strideB;
        }

        Store(c, c00, c01, add);
        Store(c + rowStride, c10, c11, add);
        Store(c + (2 * rowStride), c20, c21, add);
        Store(c + (3 * rowStride), c30, c31, add);
        Store(c + (4 * rowStride), c40, c41, add);
        Store(c + (5 * rowStride), c50, c51, add);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<T> MultiplyAdd(Vector256<T> x, Vector256<T> y, Vector256<T> sum)
    {
        if (typeof(T) == typeof(float))
        {
            return Fma.MultiplyAdd(x.AsSingle(), y.AsSingle(), sum.AsSingle()).As<float, T>();
        }

        return Fma.MultiplyAdd(x.AsDouble(), y.AsDouble(), sum.AsDouble()).As<double, T>();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store(T* row, Vector256<T> left, Vector256<T> right, bool add)
    {
        T* rightHalf = row + Vector256<T>.Count;
        if (add)
        {
            left += Vector256.Load(row);
            right += Vector256.Load(rightHalf);
        }

        left.Store(row);
        right.Store(rightHalf);
    }
}

/// <summary>4×2-vector tile on <see cref="Vector{T}"/>, for machines without AVX2 (e.g. Arm64).</summary>
internal readonly unsafe struct PortableMicroKernel<T> : IGemmMicroKernel<T>
    where T : unmanaged
{
    public static int Rows => 4;

    public static int Columns => 2 * Vector<T>.Count;

    public static bool IsSupported => true;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run(T* packedA, T* packedB, int strideB, int depth, T* c, int rowStride, bool add)
    {
        int width = Vector<T>.Count;
        Vector<T> c00 = default, c01 = default, c10 = default, c11 = default;
        Vector<T> c20 = default, c21 = default, c30 = default, c31 = default;
        T* a = packedA;
        T* b = packedB;
        for (int p = 0; p < depth; p++)
        {
            Vector<T> b0 = Vector.Load(b);
            Vector<T> b1 = Vector.Load(b + width);
            Vector<T> ai = new(a[0]);
            c00 = MultiplyAdd(ai, b0, c00);
            c01 = MultiplyAdd(ai, b1, c01);
            ai = new(a[1]);
            c10 = MultiplyAdd(ai, b0, c10);
            c11 = MultiplyAdd(ai, b1, c11);
            ai = new(a[2]);
            c20 = MultiplyAdd(ai, b0, c20);
            c21 = MultiplyAdd(ai, b1, c21);
            ai = new(a[3]);
            c30 = MultiplyAdd(ai, b0, c30);
            c31 = MultiplyAdd(ai, b1, c31);
            a += 4;
            b += strideB;
        }

        Store(c, c00, c01, add);
        Store(c + rowStride, c10, c11, add);
        Store(c + (2 * rowStride), c20, c21, add);
        Store(c + (3 * rowStride), c30, c31, add);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector<T> MultiplyAdd(Vector<T> x, Vector<T> y, Vector<T> sum)
    {
        if (typeof(T) == typeof(float))
        {
            return Vector.FusedMultiplyAdd(x.As<T, float>(), y.As<T, float>(), sum.As<T, float>()).As<float, T>();
        }

        return Vector.FusedMultiplyAdd(x.As<T, double>(), y.As<T, double>(), sum.As<T, double>()).As<double, T>();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store(T* row, Vector<T> left, Vector<T> right, bool add)
    {
        T* rightHalf = row + Vector<T>.Count;
        if (add)
        {
            left += Vector.Load(row);
            right += Vector.Load(rightHalf);
        }

        left.Store(row);
        right.Store(rightHalf);
    }
}

/// <summary>Helpers for the x86 micro-kernels' tile of C.</summary>
internal static unsafe class CTile
{
    /// <summary>
    /// Starts fetching the C tile while the k loop runs: its rows lie a whole row of C apart, a pattern
    /// the hardware prefetcher misses, and for large C they come from DRAM.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void Prefetch<T>(T* c, int rowStride, int rows, int columns)
        where T : unmanaged
    {
        for (int row = 0; row < rows; row++)
        {
            T* first = c + (row * rowStride);
            Sse.Prefetch0(first);
            Sse.Prefetch0(first + (columns / 2));
            Sse.Prefetch0(first + columns - 1);
        }
    }
}
