using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Backprop.Kernels;

/// <summary>
/// One thread's zero-padded tile of x (8 rows × k) and of y (8 rows × n) for the rows of a product that do not fill a
/// tile; kept for the thread's life and grown when needed, so steady-state calls allocate nothing.
/// </summary>
internal static unsafe class RemainderTile
{
    private const int Rows = 8;

    [ThreadStatic] private static float[]? t_storage;

    /// <summary>This thread's tiles for inputs of width <paramref name="k"/> and outputs of width <paramref name="n"/>, on 64-byte boundaries.</summary>
    public static void ForCurrentThread(int k, int n, out float* x, out float* y)
    {
        // Each part rounded up to whole cache lines, plus one line to align the start.
        int lengthX = (Rows * k + 15) / 16 * 16, lengthY = (Rows * n + 15) / 16 * 16;
        var storage = t_storage;
        if (storage is null || storage.Length < lengthX + lengthY + 16)
            t_storage = storage = GC.AllocateUninitializedArray<float>(lengthX + lengthY + 16, pinned: true);
        nuint start = (nuint)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(storage));
        float* aligned = (float*)((start + 63) & ~(nuint)63);
        x = aligned;
        y = aligned + lengthX;
    }
}
