using Backprop.Kernels;

namespace Backprop;

public sealed partial class Tensor
{
    private int _version;

    /// <summary>
    /// Counts the in-place changes of the values (optimiser steps, <see cref="CopyFrom"/>, loading, dtype conversion),
    /// so that what is derived from them (a weight packed for inference) knows when it is stale.
    /// </summary>
    internal int Version => Volatile.Read(ref _version);

    /// <summary>Records that the values were changed in place; every such write outside an op's own fresh result calls it.</summary>
    internal void MarkChanged() => Interlocked.Increment(ref _version);

    /// <summary>The weight packed for the inference kernel, tagged with the <see cref="Version"/> it was packed from; null until first used.</summary>
    internal PackedWeight? Packed { get; set; }
}
