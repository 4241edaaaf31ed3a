using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Backprop.Kernels;

/// <summary>
/// Copies rows picked by index out of a large row-major array (a shuffled mini-batch out of a data set) into
/// consecutive rows.
/// </summary>
/// <remarks>
/// The rows of a shuffled batch are scattered over a data set larger than the caches, so copying one row after the
/// other waits on memory for each row's first lines. The copy goes through <see cref="Group"/> rows at a time, one
/// cache line of each in turn, so that the lines of eight rows are in flight together: 64 rows of 784 floats out
/// of MNIST (25 MB) took 24–26 µs on one core of an AMD EPYC instead of 41–46 µs row by row (7 December 2026).
/// The bytes copied are the same either way.
/// </remarks>
internal static class RowGather
{
    /// <summary>Rows whose lines are fetched together: more streams than the hardware prefetchers follow was slower (12 and 16 rows).</summary>
    private const int Group = 8;

    /// <summary>Bytes per step through a row: one cache line.</summary>
    private const int Line = 64;

    /// <summary>
    /// Writes row <c>rows[i]</c> of <paramref name="source"/> (rows of <paramref name="width"/> elements) to row i of
    /// <paramref name="target"/> for every i, groups of rows spread over the cores when the copy is large enough
    /// (<paramref name="cost"/>, in <see cref="PlaneParallel.Run"/>'s elements). Indices are the caller's to check.
    /// </summary>
    public static void Copy<T>(ArraySegment<T> source, int width, int[] rows, ArraySegment<T> target, long cost)
        where T : unmanaged
    {
        Debug.Assert(target.Count >= (long)rows.Length * width);
        Debug.Assert(rows.All(row => (long)(row + 1) * width <= source.Count));
        int groups = (rows.Length + Group - 1) / Group;
        PlaneParallel.Run(groups, cost, group => CopyGroup(source, width, rows, target, group * Group, Math.Min(rows.Length, (group + 1) * Group)));
    }

    private static void CopyGroup<T>(ArraySegment<T> source, int width, int[] rows, ArraySegment<T> target, int start, int end)
        where T : unmanaged
    {
        // In nint: a row of more than 2 GB would overflow int, and the copies below are not bounds-checked.
        nint rowBytes = (nint)width * Unsafe.SizeOf<T>();
        nint lines = rowBytes / Line, tail = rowBytes - (lines * Line);
        ref byte from = ref Unsafe.As<T, byte>(ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(source.Array!), source.Offset));
        ref byte to = ref Unsafe.As<T, byte>(ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(target.Array!), target.Offset));
        for (nint line = 0; line < lines; line++)
        {
            nint offset = line * Line;
            for (int r = start; r < end; r++)
            {
                Unsafe.CopyBlockUnaligned(ref Unsafe.Add(ref to, ((nint)r * rowBytes) + offset), ref Unsafe.Add(ref from, ((nint)rows[r] * rowBytes) + offset), Line);
            }
        }

        if (tail == 0) return;
        nint last = lines * Line;
        for (int r = start; r < end; r++)
        {
            Unsafe.CopyBlockUnaligned(ref Unsafe.Add(ref to, ((nint)r * rowBytes) + last), ref Unsafe.Add(ref from, ((nint)rows[r] * rowBytes) + last), (uint)tail);
        }
    }
}
