using Backprop.Kernels;

namespace Backprop;

public sealed partial class Tensor
{
    // Shared by every tensor that views the same values (Detach, Reshape): a write through a view changes them all.
    private VersionCounter? _versions;

    /// <summary>
    /// Counts the in-place changes of the values (optimiser steps, <see cref="CopyFrom(Tensor)"/>, loading, dtype conversion),
    /// through this tensor or any view of its values, so that what is derived from them (a weight packed for inference)
    /// knows when it is stale.
    /// </summary>
    internal int Version => _versions is { } versions ? Volatile.Read(ref versions.Value) : 0;

    /// <summary>Records that the values were changed in place; every such write outside an op's own fresh result calls it.</summary>
    internal void MarkChanged() => Interlocked.Increment(ref Versions.Value);

    /// <summary>A tensor over the same values as this one, with another shape, sharing its change count.</summary>
    private Tensor View(int[] dims) => new(_storage, dims) { _versions = Versions, _offset = _offset };

    private VersionCounter Versions => _versions ?? Interlocked.CompareExchange(ref _versions, new VersionCounter(), null) ?? _versions;

    private sealed class VersionCounter
    {
        public int Value;
    }

    /// <summary>The weight packed for the inference kernel, tagged with the <see cref="Version"/> it was packed from; null until first used.</summary>
    internal PackedWeight? Packed { get; set; }
}
