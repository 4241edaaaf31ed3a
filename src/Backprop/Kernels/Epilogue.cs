using System.Numerics;
using System.Runtime.CompilerServices;

namespace Backprop.Kernels;

/// <summary>
/// What <see cref="GemmDot"/> does to a dot product as it stores it: add what C held, add the bias of its column,
/// apply ReLU. The order is that of the unfused passes (the bias written into C, the product added onto it, then
/// ReLU in place), and addition commutes exactly, so the bits are those of the separate passes.
/// </summary>
internal readonly unsafe struct Epilogue<T>(bool add, T* bias, bool relu)
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Whether the product is added to what C holds.</summary>
    public bool Add { get; } = add;

    /// <summary>The bias of the current column, or null.</summary>
    public T* Bias { get; } = bias;

    /// <summary>Whether negative results (and zeros) become +0, as <see cref="ReluKernels.ForwardInPlace"/> does; NaN is kept.</summary>
    public bool Relu { get; } = relu;

    /// <summary>The same epilogue for the tile whose first column is <paramref name="column"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Epilogue<T> At(int column) => Bias == null ? this : new(Add, Bias + column, Relu);

    /// <summary>The value to store for a dot product in column <paramref name="offset"/> of the tile, C holding <paramref name="current"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public T Apply(T dot, T current, int offset)
    {
        if (Add) dot += current;
        if (Bias != null) dot += Bias[offset];
        if (Relu && dot <= T.Zero) dot = T.Zero;
        return dot;
    }
}
