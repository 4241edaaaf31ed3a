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
        int lengthX = CacheLines.RoundUp<float>(Rows * k), lengthY = CacheLines.RoundUp<float>(Rows * n);
        var storage = t_storage;
        if (storage is null || !CacheLines.Holds(storage, lengthX + lengthY))
            t_storage = storage = CacheLines.Allocate<float>(lengthX + lengthY);
        float* aligned = CacheLines.Start(storage);
        x = aligned;
        y = aligned + lengthX;
    }
}
