namespace Backprop;

/// <summary>The element type of a <see cref="Tensor"/>.</summary>
public enum DType
{
    /// <summary>32-bit IEEE 754 floating point, the default: fast, enough for training.</summary>
    Float32,

    /// <summary>64-bit IEEE 754 floating point, for gradient checks and worked examples.</summary>
    Float64,
}
