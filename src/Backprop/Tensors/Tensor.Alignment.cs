using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Backprop;

public sealed partial class Tensor
{
    /// <summary>A cache line: a 512-bit load from an address off this boundary reads two lines.</summary>
    private const int CacheLine = 64;

    // Set by AlignStorage: the tensor's gradient buffers are aligned too, and a dtype conversion keeps the alignment.
    private bool _alignedStorage;

    /// <summary>
    /// Moves the values to storage whose first value starts a 64-byte cache line, on the pinned heap so that it stays
    /// there; parameters get it when registered (<see cref="NN.Module"/>), and their gradients with them.
    /// </summary>
    /// <remarks>
    /// A .NET array starts wherever the collector puts it, and the dense layer's forward product otherwise copied its
    /// weight's rows onto lines on every call (about 6 µs per thread for the 784-128-10 MLP's first layer on two threads),
    /// and the weight gradient's stores split lines. Views made later (<see cref="Reshape"/>, <see cref="Detach"/>) share
    /// the moved storage; the values are unchanged, so no result depends on it.
    /// </remarks>
    internal void AlignStorage()
    {
        _alignedStorage = true;
        if (DType == DType.Float32) _storage = AlignedCopy(Span<float>(), out _offset);
        else _storage = AlignedCopy(Span<double>(), out _offset);
    }

    /// <summary>A fresh gradient buffer of zeros for this tensor, on a cache line when this tensor's storage is.</summary>
    private Tensor NewGradient(Tensor? values = null)
    {
        var gradient = values is null ? ZerosLike(this) : values.Clone();
        if (_alignedStorage) gradient.AlignStorage();
        return gradient;
    }

    private static unsafe T[] AlignedCopy<T>(ReadOnlySpan<T> values, out int offset)
        where T : unmanaged
    {
        int perLine = CacheLine / sizeof(T);
        var storage = GC.AllocateUninitializedArray<T>(values.Length + perLine - 1, pinned: true);
        nuint start = (nuint)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(storage));
        offset = (int)((CacheLine - (start % CacheLine)) % CacheLine / (nuint)sizeof(T));
        values.CopyTo(storage.AsSpan(offset));
        return storage;
    }
}
