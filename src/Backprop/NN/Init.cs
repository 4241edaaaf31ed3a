using Backprop.Tensors;

namespace Backprop.NN;

/// <summary>How Kaiming initialisation chooses the fan: preserve the forward or the backward variance.</summary>
public enum FanMode
{
    /// <summary>Number of inputs per neuron: keeps activations' variance through the forward pass.</summary>
    FanIn,

    /// <summary>Number of outputs per input: keeps gradients' variance through the backward pass.</summary>
    FanOut,
}

/// <summary>
/// Weight initialisers (PyTorch's <c>nn.init</c>), filling a tensor in place from an explicit generator.
/// Fans are computed as PyTorch does for [out, in, …] weights: fanIn = in·receptive field, fanOut = out·receptive field.
/// </summary>
public static class Init
{
    /// <summary>Glorot/Xavier uniform: U(−a, a) with a = gain·√(6/(fanIn + fanOut)).</summary>
    public static void XavierUniform(Tensor weight, Random random, double gain = 1)
    {
        var (fanIn, fanOut) = Fans(weight);
        double bound = gain * Math.Sqrt(6.0 / (fanIn + fanOut));
        Fill(weight, Tensor.RandomUniform(weight.Dims, random, -bound, bound, DType.Float64));
    }

    /// <summary>Glorot/Xavier normal: N(0, σ²) with σ = gain·√(2/(fanIn + fanOut)).</summary>
    public static void XavierNormal(Tensor weight, Random random, double gain = 1)
    {
        var (fanIn, fanOut) = Fans(weight);
        Fill(weight, Tensor.RandomNormal(weight.Dims, random, 0, gain * Math.Sqrt(2.0 / (fanIn + fanOut)), DType.Float64));
    }

    /// <summary>
    /// He/Kaiming uniform: U(−b, b) with b = √3·gain/√fan and gain = √(2/(1 + slope²)) (slope 0 is ReLU's gain √2).
    /// PyTorch's Linear and Conv2d default is slope √5, giving b = 1/√fanIn.
    /// </summary>
    public static void KaimingUniform(Tensor weight, Random random, double negativeSlope = 0, FanMode mode = FanMode.FanIn)
    {
        double bound = Math.Sqrt(3.0) * KaimingStd(weight, negativeSlope, mode);
        Fill(weight, Tensor.RandomUniform(weight.Dims, random, -bound, bound, DType.Float64));
    }

    /// <summary>He/Kaiming normal: N(0, σ²) with σ = gain/√fan, gain = √(2/(1 + slope²)).</summary>
    public static void KaimingNormal(Tensor weight, Random random, double negativeSlope = 0, FanMode mode = FanMode.FanIn) =>
        Fill(weight, Tensor.RandomNormal(weight.Dims, random, 0, KaimingStd(weight, negativeSlope, mode), DType.Float64));

    /// <summary>U(low, high).</summary>
    public static void Uniform(Tensor tensor, Random random, double low, double high) =>
        Fill(tensor, Tensor.RandomUniform(tensor.Dims, random, low, high, DType.Float64));

    /// <summary>N(mean, std²).</summary>
    public static void Normal(Tensor tensor, Random random, double mean, double std) =>
        Fill(tensor, Tensor.RandomNormal(tensor.Dims, random, mean, std, DType.Float64));

    /// <summary>Every element set to <paramref name="value"/>.</summary>
    public static void Constant(Tensor tensor, double value) => Fill(tensor, Tensor.Full(value, DType.Float64, tensor.Dims));

    private static double KaimingStd(Tensor weight, double negativeSlope, FanMode mode)
    {
        var (fanIn, fanOut) = Fans(weight);
        double gain = Math.Sqrt(2.0 / (1 + negativeSlope * negativeSlope));
        return gain / Math.Sqrt(mode == FanMode.FanIn ? fanIn : fanOut);
    }

    private static (int FanIn, int FanOut) Fans(Tensor weight)
    {
        ArgumentNullException.ThrowIfNull(weight);
        if (weight.Rank < 2)
            throw new ArgumentException($"Init: fans need a weight of rank ≥ 2 ([out, in, …]), got shape {ShapeMath.Format(weight.Dims)}.", nameof(weight));
        int receptive = ShapeMath.ElementCount(weight.Dims.AsSpan(2));
        return (weight.Dims[1] * receptive, weight.Dims[0] * receptive);
    }

    private static void Fill(Tensor target, Tensor values)
    {
        using (Tensor.NoGrad()) target.CopyFrom(values);
    }
}
