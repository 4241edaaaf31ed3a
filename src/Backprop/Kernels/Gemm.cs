using System.Numerics;

namespace Backprop.Kernels;

/// <summary>
/// General matrix multiply: C = op(A)·op(B), or C += op(A)·op(B), for row-major contiguous matrices.
/// </summary>
/// <remarks>
/// <para>
/// Shapes: op(A) is m×k, op(B) is k×n, C is m×n. A is stored m×k, or k×m when <c>transposeA</c>
/// (then op(A) = Aᵀ); B is stored k×n, or n×k when <c>transposeB</c>. A span may be longer than
/// its matrix; only the leading elements are read or written.
/// </para>
/// <para>
/// Large products are packed and run by a register-tiled micro-kernel (AVX-512, AVX2+FMA, or
/// <see cref="Vector{T}"/>) on up to <see cref="Threads.Count"/> threads, split over blocks of C.
/// Each element of C is summed over k in one fixed order, so the result is bit-identical for any
/// thread count. Vector-matrix products and tiny matrices skip packing; they run on the calling thread, except a
/// row vector times a large transposed matrix (single-sample inference), whose columns are split over the workers.
/// </para>
/// <para>
/// The inner loops of every kernel are compiled fully optimised on first call (AggressiveOptimization) rather than
/// first as unoptimised tier-0 code: a training run's first epoch otherwise ran on the slow code.
/// </para>
/// <example>
/// A dense layer's forward pass, y = x·Wᵀ with W stored [outputs, inputs] as in PyTorch:
/// <code>
/// Gemm.Multiply(x, false, weight, true, y, batch, outputs, inputs, accumulate: false);
/// </code>
/// </example>
/// </remarks>
internal static unsafe class Gemm
{
    /// <summary>Products with at most this many multiply-adds are computed directly: packing would cost more than it saves.</summary>
    internal const long DirectMaxWork = 32 * 32 * 32;

    /// <summary>
    /// A·B with at most this many terms per dot product (and at most <see cref="DirectMaxDepthRows"/> rows) is
    /// computed directly whatever its size: packing would copy all of B to do as little as 9 multiply-adds per element.
    /// </summary>
    /// <remarks>
    /// The case is the first layer of a CNN on one-channel images, W [8, 9] · columns [9, N·784]; at 16 terms with A
    /// transposed (the second layer's column gradient) packing wins again, so the bound sits between.
    /// </remarks>
    internal const int DirectMaxDepth = 12;

    /// <summary>Direct A·B streams B once per row of A, so only products with this few rows take the shallow-depth route.</summary>
    internal const int DirectMaxDepthRows = 32;

    /// <summary>Products with fewer multiply-adds than this stay on one thread: waking workers costs more than it saves.</summary>
    /// <remarks>
    /// The MLP step's products (6.4 M multiply-adds at batch 64, 784-128-10) are above it: whole training steps ran
    /// faster on two threads, and no MLP step shape slower, even where the products alone did not gain.
    /// </remarks>
    internal const long ParallelMinWork = 96 * 96 * 96;

    /// <summary>
    /// A·Bᵀ with at most this many rows of A runs as dot products (<see cref="GemmDot"/>) where the machine has 512-bit vectors.
    /// </summary>
    /// <remarks>
    /// Up to this many rows (the MLPs' forward products) the dot products beat packing, which gathers all of W on every
    /// call. One row (single-sample inference) stays on <see cref="GemmDirect"/>, which streams the weight from L2 as
    /// well and finishes its 256-bit sums for less. Larger products keep the cache-blocked packed path.
    /// </remarks>
    internal const int DotMaxRows = 128;

    /// <summary>Dot-product products with fewer multiply-adds than this stay on one thread (as <see cref="ParallelMinWork"/>).</summary>
    internal const long DotParallelMinWork = ParallelMinWork;

    /// <summary>Which implementation computes a product; tests force each in turn.</summary>
    internal enum Path
    {
        /// <summary>Chosen from the shape and the machine.</summary>
        Automatic,

        /// <summary>No packing (<see cref="GemmDirect"/>); the calling thread only, except large x·Wᵀ for one row x.</summary>
        Direct,

        /// <summary>A·Bᵀ as 4×4 tiles of 512-bit dot products, no packing (<see cref="GemmDot"/>).</summary>
        Dot,

        /// <summary>Packed, 12×2-vector AVX-512 micro-kernel.</summary>
        Avx512,

        /// <summary>Packed, 6×2-vector AVX2+FMA micro-kernel.</summary>
        Avx2,

        /// <summary>Packed, 4×2-vector <see cref="Vector{T}"/> micro-kernel.</summary>
        Portable,
    }

    /// <summary>C[m×n] = op(A)·op(B), or C += op(A)·op(B) when <paramref name="accumulate"/>, in float32.</summary>
    /// <exception cref="ArgumentOutOfRangeException">m, n or k is negative.</exception>
    /// <exception cref="ArgumentException">A span is shorter than its matrix.</exception>
    public static void Multiply(ReadOnlySpan<float> a, bool transposeA, ReadOnlySpan<float> b, bool transposeB, Span<float> c, int m, int n, int k, bool accumulate) =>
        Multiply(Path.Automatic, a, transposeA, b, transposeB, c, m, n, k, accumulate);

    /// <summary>C[m×n] = op(A)·op(B), or C += op(A)·op(B) when <paramref name="accumulate"/>, in float64.</summary>
    /// <exception cref="ArgumentOutOfRangeException">m, n or k is negative.</exception>
    /// <exception cref="ArgumentException">A span is shorter than its matrix.</exception>
    public static void Multiply(ReadOnlySpan<double> a, bool transposeA, ReadOnlySpan<double> b, bool transposeB, Span<double> c, int m, int n, int k, bool accumulate) =>
        Multiply(Path.Automatic, a, transposeA, b, transposeB, c, m, n, k, accumulate);

    /// <summary>
    /// C[m×n] = A·Bᵀ + <paramref name="bias"/> (added to every row; empty for none), then max(0, ·) when
    /// <paramref name="relu"/>, applied by the dot-product kernel to each tile as it stores it: the bits of writing the
    /// bias into C, adding the product and applying ReLU in three passes. False, with nothing done, when the product
    /// would not take that kernel, so the caller takes the three passes.
    /// </summary>
    /// <exception cref="ArgumentException">A span is shorter than its matrix, or the bias is neither empty nor n long.</exception>
    internal static bool TryMultiplyTransposedWithBias<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> b, ReadOnlySpan<T> bias, bool relu, Span<T> c, int m, int n, int k)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Validate(a.Length, b.Length, c.Length, m, n, k);
        if (bias.Length != 0 && bias.Length != n)
            throw new ArgumentException($"A bias of {bias.Length} values does not fit {n} columns.", nameof(bias));
        if (m == 0 || n == 0 || k == 0 || Choose(m, n, k, transposeA: false, transposeB: true) != Path.Dot) return false;
        fixed (T* pa = a, pb = b, pc = c, pbias = bias)
        {
            Dot(new GemmOperands<T>(pa, false, pb, true, pc, m, n, k, accumulate: false, bias: pbias, relu: relu));
        }

        return true;
    }

    /// <summary>The product computed by the given <paramref name="path"/>; <see cref="Path.Automatic"/> picks one.</summary>
    /// <exception cref="PlatformNotSupportedException">The path's instructions are not available here.</exception>
    internal static void Multiply<T>(Path path, ReadOnlySpan<T> a, bool transposeA, ReadOnlySpan<T> b, bool transposeB, Span<T> c, int m, int n, int k, bool accumulate)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Validate(a.Length, b.Length, c.Length, m, n, k);
        if (m == 0 || n == 0)
        {
            return;
        }

        if (k == 0)
        {
            if (!accumulate)
            {
                c[..(m * n)].Clear();
            }

            return;
        }

        if (path == Path.Automatic)
        {
            path = Choose(m, n, k, transposeA, transposeB);
        }

        fixed (T* pa = a, pb = b, pc = c)
        {
            var operands = new GemmOperands<T>(pa, transposeA, pb, transposeB, pc, m, n, k, accumulate);
            switch (path)
            {
                case Path.Direct:
                    GemmDirect.Multiply(operands);
                    break;
                case Path.Dot:
                    Dot(operands);
                    break;
                case Path.Avx512:
                    Packed<T, Avx512MicroKernel<T>>(operands);
                    break;
                case Path.Avx2:
                    Packed<T, Avx2MicroKernel<T>>(operands);
                    break;
                default:
                    Packed<T, PortableMicroKernel<T>>(operands);
                    break;
            }
        }
    }

    private static Path Choose(int m, int n, int k, bool transposeA, bool transposeB)
    {
        if (m == 1 || n == 1 || (long)m * n * k <= DirectMaxWork || (k <= DirectMaxDepth && m <= DirectMaxDepthRows && !transposeA && !transposeB))
        {
            return Path.Direct;
        }

        if (!transposeA && transposeB && m <= DotMaxRows && GemmDot.IsSupported)
        {
            return Path.Dot;
        }

        if (Avx512MicroKernel<float>.IsSupported)
        {
            return Path.Avx512;
        }

        return Avx2MicroKernel<float>.IsSupported ? Path.Avx2 : Path.Portable;
    }

    /// <summary>Splits C into one rectangle per worker for <see cref="GemmDot"/>, along its longer side in whole 4×4 tiles.</summary>
    private static void Dot<T>(GemmOperands<T> operands)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (!GemmDot.IsSupported || operands.TransposeA || !operands.TransposeB)
        {
            throw new PlatformNotSupportedException("The dot-product GEMM kernel needs 512-bit vectors and computes A·Bᵀ only.");
        }

        int m = operands.M, n = operands.N;
        bool splitRows = m >= n;
        int extent = splitRows ? m : n;
        int units = (extent + 3) / 4;
        int workers = (long)m * n * operands.K < DotParallelMinWork ? 1 : Threads.WorkersFor(units);
        if (workers == 1)
        {
            GemmDot.Multiply(operands, 0, m, 0, n);
            return;
        }

        Threads.Run(workers, worker =>
        {
            int start = Math.Min(extent, (int)((long)units * worker / workers) * 4);
            int end = Math.Min(extent, (int)((long)units * (worker + 1) / workers) * 4);
            if (splitRows)
            {
                GemmDot.Multiply(operands, start, end, 0, n);
            }
            else
            {
                GemmDot.Multiply(operands, 0, m, start, end);
            }
        });
    }

    /// <summary>Splits C into one rectangle per worker, along its longer side in whole micro-tiles.</summary>
    private static void Packed<T, TKernel>(GemmOperands<T> operands)
        where T : unmanaged
        where TKernel : IGemmMicroKernel<T>
    {
        if (!TKernel.IsSupported)
        {
            throw new PlatformNotSupportedException($"The {typeof(TKernel).Name} GEMM micro-kernel needs instructions this machine lacks.");
        }

        int m = operands.M, n = operands.N;
        // Rows whenever each thread gets two panels of them: splitting the columns of a wide, short C (the MLP's weight
        // gradient gᵀ·x, 128×784 at depth 64) left two threads barely faster than one (95-136 µs against 132), while
        // rows took 77-92 µs; each thread then writes whole rows of C and packs all of B, which is short.
        bool splitRows = m >= n || m / TKernel.Rows >= 2 * Threads.Count;
        int step = splitRows ? TKernel.Rows : TKernel.Columns;
        int extent = splitRows ? m : n;
        int units = (extent + step - 1) / step;
        int workers = (long)m * n * operands.K < ParallelMinWork ? 1 : Threads.WorkersFor(units);
        if (workers == 1)
        {
            GemmDriver.Multiply<T, TKernel>(operands, 0, m, 0, n);
            return;
        }

        Threads.Run(workers, worker =>
        {
            int start = Math.Min(extent, (int)((long)units * worker / workers) * step);
            int end = Math.Min(extent, (int)((long)units * (worker + 1) / workers) * step);
            if (splitRows)
            {
                GemmDriver.Multiply<T, TKernel>(operands, start, end, 0, n);
            }
            else
            {
                GemmDriver.Multiply<T, TKernel>(operands, 0, m, start, end);
            }
        });
    }

    private static void Validate(int lengthA, int lengthB, int lengthC, int m, int n, int k)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(m);
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        ArgumentOutOfRangeException.ThrowIfNegative(k);
        Require("a", lengthA, m, k, "op(A)");
        Require("b", lengthB, k, n, "op(B)");
        Require("c", lengthC, m, n, "C");
    }

    private static void Require(string name, int length, int rows, int columns, string matrix)
    {
        long needed = (long)rows * columns;
        if (length < needed)
        {
            throw new ArgumentException(
                $"Span {name} has {length} elements, but {matrix} is {rows}×{columns} and needs {needed}.", name);
        }
    }
}
