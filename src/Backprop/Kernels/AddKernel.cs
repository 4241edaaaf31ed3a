using System.Numerics;
using System.Runtime.CompilerServices;

namespace Backprop.Kernels;

/// <summary>y ← y + x element by element: a row of a gradient summed into a bias's gradient.</summary>
/// <remarks>
/// A loop of its own rather than <c>TensorPrimitives.Add</c>, whose vector code took the JIT compiler milliseconds
/// inside the first training step; each element is one addition either way, so the sums are the same.
/// </remarks>
internal static class AddKernel
{
    /// <summary>y[i] += x[i] for every i of <paramref name="y"/>.</summary>
    /// <exception cref="ArgumentException"><paramref name="x"/> is shorter than <paramref name="y"/>.</exception>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Apply<T>(ReadOnlySpan<T> x, Span<T> y)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (x.Length < y.Length) throw new ArgumentException($"Add: {x.Length} terms for {y.Length} sums.", nameof(x));
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            for (; i <= y.Length - Vector<T>.Count; i += Vector<T>.Count) (new Vector<T>(y[i..]) + new Vector<T>(x[i..])).CopyTo(y[i..]);
        }

        for (; i < y.Length; i++) y[i] += x[i];
    }
}
