using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Backprop.Optimizers;

/// <summary>
/// Vector-wide loads and stores for the optimisers' element-wise updates, the last partial vector going through a
/// zero-padded scratch copy, so that each update formula is written once, in vector form.
/// </summary>
/// <remarks>
/// Every lane performs the scalar formula's operations in the same order (separate multiplies and adds, never
/// fused), so the updates are bit-identical to an element-by-element loop, which with its branches took longer than
/// the rest of an MLP training step. This way the update is bound by memory.
/// </remarks>
internal static class Lanes
{
    /// <summary>The vector of elements from <paramref name="start"/>; past the end, the lanes hold zeros.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<T> Load<T>(ReadOnlySpan<T> values, int start) where T : unmanaged =>
        start + Vector<T>.Count <= values.Length ? Vector.LoadUnsafe(ref MemoryMarshal.GetReference(values), (nuint)start) : LoadTail(values, start);

    /// <summary>Writes the lanes that fall inside <paramref name="values"/> from <paramref name="start"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store<T>(Vector<T> lanes, Span<T> values, int start) where T : unmanaged
    {
        if (start + Vector<T>.Count <= values.Length) lanes.StoreUnsafe(ref MemoryMarshal.GetReference(values), (nuint)start);
        else StoreTail(lanes, values, start);
    }

    // The partial last vector: kept out of line, since a method with stackalloc is never inlined.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static Vector<T> LoadTail<T>(ReadOnlySpan<T> values, int start) where T : unmanaged
    {
        Span<T> padded = stackalloc T[Vector<T>.Count];
        padded.Clear();
        values[start..].CopyTo(padded);
        return new Vector<T>(padded);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void StoreTail<T>(Vector<T> lanes, Span<T> values, int start) where T : unmanaged
    {
        Span<T> padded = stackalloc T[Vector<T>.Count];
        lanes.CopyTo(padded);
        padded[..(values.Length - start)].CopyTo(values[start..]);
    }
}
