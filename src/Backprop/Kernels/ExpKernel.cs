using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Backprop.Kernels;

/// <summary>x[i] ← e^x[i] in place, vectorised: the exponentials of a softmax.</summary>
/// <remarks>
/// <c>Vector.Exp</c> in a plain loop rather than <c>TensorPrimitives.Exp</c>: the same vector exponential, without
/// the library's unrolled and masked wrapper, whose compiling took the JIT compiler about 10 ms while the first epoch
/// of the 784-128-10 MLP benchmark ran. The last elements that fill no vector use the scalar exponential.
/// </remarks>
internal static class ExpKernel
{
    /// <summary>Replaces every element of <paramref name="x"/> by its exponential.</summary>
    public static void InPlace<T>(Span<T> x)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(float)) InPlace(MemoryMarshal.Cast<T, float>(x));
        else if (typeof(T) == typeof(double)) InPlace(MemoryMarshal.Cast<T, double>(x));
        else
        {
            for (int i = 0; i < x.Length; i++) x[i] = T.Exp(x[i]);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void InPlace(Span<float> x)
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            for (; i <= x.Length - Vector<float>.Count; i += Vector<float>.Count) Vector.Exp(new Vector<float>(x[i..])).CopyTo(x[i..]);
        }

        for (; i < x.Length; i++) x[i] = MathF.Exp(x[i]);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void InPlace(Span<double> x)
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            for (; i <= x.Length - Vector<double>.Count; i += Vector<double>.Count) Vector.Exp(new Vector<double>(x[i..])).CopyTo(x[i..]);
        }

        for (; i < x.Length; i++) x[i] = Math.Exp(x[i]);
    }
}
