using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Backprop.Kernels;

/// <summary>
/// Pinned arrays whose usable part starts on a 64-byte cache line: a .NET array starts wherever the collector puts it,
/// and a 512-bit load from an address off a line reads two. Pinned, so the address found once stays true.
/// </summary>
internal static unsafe class CacheLines
{
    /// <summary>The bytes of a cache line.</summary>
    public const int Bytes = 64;

    /// <summary>A pinned array with room for <paramref name="length"/> elements from its first element on a line.</summary>
    public static T[] Allocate<T>(int length)
        where T : unmanaged => GC.AllocateUninitializedArray<T>(length + Padding<T>(), pinned: true);

    /// <summary>Whether an array from <see cref="Allocate"/> has room for <paramref name="length"/> elements from its first on a line.</summary>
    public static bool Holds<T>(T[] pinned, int length)
        where T : unmanaged => pinned.Length >= length + Padding<T>();

    /// <summary>The index of the first element of a pinned array that starts a cache line.</summary>
    public static int FirstOnLine<T>(T[] pinned)
        where T : unmanaged
    {
        nuint start = (nuint)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(pinned));
        return (int)((Bytes - (start % Bytes)) % Bytes / (nuint)sizeof(T));
    }

    /// <summary>The first element of a pinned array that starts a cache line.</summary>
    public static T* Start<T>(T[] pinned)
        where T : unmanaged => (T*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(pinned)) + FirstOnLine(pinned);

    /// <summary>
    /// <paramref name="length"/> elements rounded up to whole cache lines: a buffer (or row) of that length ends where the
    /// next may start on a line.
    /// </summary>
    public static int RoundUp<T>(int length)
        where T : unmanaged
    {
        int perLine = Bytes / sizeof(T);
        return (length + perLine - 1) / perLine * perLine;
    }

    /// <summary>
    /// The elements an array from <see cref="Allocate"/> has beyond the length asked for: an array's elements are at
    /// least 8-byte aligned, so at most a line less one element precedes the first on a line.
    /// </summary>
    public static int Padding<T>()
        where T : unmanaged => (Bytes / sizeof(T)) - 1;
}
