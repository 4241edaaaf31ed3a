using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Backprop.Kernels;

/// <summary>
/// y ← x·s + y element by element, the product rounded before the sum: plain SGD's update θ ← g·(−η) + θ.
/// </summary>
/// <remarks>
/// The arithmetic of <c>TensorPrimitives.MultiplyAdd</c>, which it replaced in the training step: compiling that
/// routine's vector code took the JIT compiler milliseconds inside the first timed epoch, and this loop is as fast
/// (its stores aligned to cache lines as that routine's are; the update streams three arrays through the cache).
/// Only the 512-bit path, the one measured, aligns; the <c>Vector&lt;T&gt;</c> path (no AVX-512, or a span shorter than
/// four 512-bit vectors) stores where y lies. Alignment changes no result: each element is computed alone.
/// </remarks>
internal static unsafe class MultiplyAddKernel
{
    /// <summary>y[i] = x[i]·<paramref name="scale"/> + y[i] for every i of <paramref name="y"/>.</summary>
    /// <exception cref="ArgumentException"><paramref name="x"/> is shorter than <paramref name="y"/>.</exception>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Apply<T>(ReadOnlySpan<T> x, T scale, Span<T> y)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (x.Length < y.Length) throw new ArgumentException($"MultiplyAdd: {x.Length} factors for {y.Length} sums.", nameof(x));
        ref T sums = ref MemoryMarshal.GetReference(y);
        ref T factors = ref MemoryMarshal.GetReference(x);
        nuint length = (nuint)y.Length, i = 0;
        if (Vector512.IsHardwareAccelerated && length >= (nuint)(4 * Vector512<T>.Count))
        {
            // Single elements up to y's first cache line, then four whole vectors a pass, y's stores on line boundaries.
            nuint misaligned = (nuint)Unsafe.AsPointer(ref sums) % 64;
            nuint head = Math.Min(length, misaligned == 0 ? 0 : (64 - misaligned) / (nuint)sizeof(T));
            for (; i < head; i++) Unsafe.Add(ref sums, i) = (Unsafe.Add(ref factors, i) * scale) + Unsafe.Add(ref sums, i);
            var factor = Vector512.Create(scale);
            nuint width = (nuint)Vector512<T>.Count;
            for (; i + (4 * width) <= length; i += 4 * width)
            {
                ((Vector512.LoadUnsafe(ref factors, i) * factor) + Vector512.LoadUnsafe(ref sums, i)).StoreUnsafe(ref sums, i);
                ((Vector512.LoadUnsafe(ref factors, i + width) * factor) + Vector512.LoadUnsafe(ref sums, i + width)).StoreUnsafe(ref sums, i + width);
                ((Vector512.LoadUnsafe(ref factors, i + (2 * width)) * factor) + Vector512.LoadUnsafe(ref sums, i + (2 * width))).StoreUnsafe(ref sums, i + (2 * width));
                ((Vector512.LoadUnsafe(ref factors, i + (3 * width)) * factor) + Vector512.LoadUnsafe(ref sums, i + (3 * width))).StoreUnsafe(ref sums, i + (3 * width));
            }
        }
        else if (Vector.IsHardwareAccelerated)
        {
            var factor = new Vector<T>(scale);
            for (nuint width = (nuint)Vector<T>.Count; i + width <= length; i += width)
            {
                ((Vector.LoadUnsafe(ref factors, i) * factor) + Vector.LoadUnsafe(ref sums, i)).StoreUnsafe(ref sums, i);
            }
        }

        for (; i < length; i++)
        {
            Unsafe.Add(ref sums, i) = (Unsafe.Add(ref factors, i) * scale) + Unsafe.Add(ref sums, i);
        }
    }
}
