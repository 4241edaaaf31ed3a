using System.Numerics;
using System.Runtime.CompilerServices;

namespace Backprop.Kernels;

/// <summary>ReLU and its derivative applied to a gradient, vectorised: the rules run over every activation of a network.</summary>
internal static class ReluKernels
{
    /// <summary>
    /// <c>x[i] = max(x[i], 0)</c> in place, a NaN kept (so a non-finite layer is still found): the dense layer's fused
    /// activation. A loop of its own rather than <c>TensorPrimitives.Max</c>, whose vector code took the JIT compiler
    /// several milliseconds inside the first training step.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void ForwardInPlace<T>(Span<T> x)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            for (; i <= x.Length - Vector<T>.Count; i += Vector<T>.Count)
            {
                var values = new Vector<T>(x[i..]);
                Vector.ConditionalSelect(Vector.LessThanOrEqual(values, Vector<T>.Zero), Vector<T>.Zero, values).CopyTo(x[i..]);
            }
        }

        for (; i < x.Length; i++)
        {
            x[i] = x[i] <= T.Zero ? T.Zero : x[i];
        }
    }

    /// <summary>
    /// <c>gx[i] = x[i] &gt; 0 ? gy[i] : 0</c>. A NaN in x compares false and gives 0, as the scalar rule does, so the
    /// vector and scalar parts agree bit for bit.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Backward<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> gy, Span<T> gx)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (gy.Length < x.Length || gx.Length < x.Length)
        {
            throw new ArgumentException($"ReLU backward: gradient spans of {gy.Length} and {gx.Length} elements for {x.Length} activations.");
        }

        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            for (; i <= x.Length - Vector<T>.Count; i += Vector<T>.Count)
            {
                var positive = Vector.GreaterThan(new Vector<T>(x[i..]), Vector<T>.Zero);
                Vector.ConditionalSelect(positive, new Vector<T>(gy[i..]), Vector<T>.Zero).CopyTo(gx[i..]);
            }
        }

        for (; i < x.Length; i++)
        {
            gx[i] = x[i] > T.Zero ? gy[i] : T.Zero;
        }
    }
}
