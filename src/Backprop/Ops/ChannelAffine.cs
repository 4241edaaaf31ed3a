using System.Numerics;
using System.Numerics.Tensors;

namespace Backprop;

public sealed partial class Tensor
{
    /// <summary>
    /// y[n, c, …] = x[n, c, …] · a[c] + b[c] with constant a and b, into one result filled a channel's run at a time;
    /// ∂y/∂x = a[c]. A fixed per-channel map (a normalisation whose statistics are not trained) composed from Multiply,
    /// Subtract and Divide would record three operations and make three full-size tensors.
    /// </summary>
    /// <param name="multiplier">a, one value per channel (x's dimension 1).</param>
    /// <param name="addend">b, one value per channel.</param>
    internal Tensor ChannelAffine(double[] multiplier, double[] addend)
    {
        var layout = new ChannelLayout(Dims);
        var result = Uninitialized(DType, Dims);
        if (DType == DType.Float32) ChannelAffine<float>(Span<float>(), multiplier, addend, result.Span<float>(), layout);
        else ChannelAffine<double>(Span<double>(), multiplier, addend, result.Span<double>(), layout);
        var input = this;
        return Record(result, "ChannelAffine", [this], g =>
        {
            var gx = Uninitialized(input.DType, input.Dims);
            if (input.DType == DType.Float32) ChannelAffine<float>(g.Span<float>(), multiplier, null, gx.Span<float>(), layout);
            else ChannelAffine<double>(g.Span<double>(), multiplier, null, gx.Span<double>(), layout);
            input.AccumulateGradient(gx);
        });
    }

    /// <summary>destination = source · a[c] (+ b[c]), a channel's contiguous run of one sample at a time.</summary>
    private static void ChannelAffine<T>(ReadOnlySpan<T> source, double[] multiplier, double[]? addend, Span<T> destination, ChannelLayout layout)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int n = 0; n < layout.Outer; n++)
        {
            for (int c = 0; c < layout.Channels; c++)
            {
                int start = layout.Start(n, c);
                var from = source.Slice(start, layout.Inner);
                var to = destination.Slice(start, layout.Inner);
                TensorPrimitives.Multiply(from, T.CreateTruncating(multiplier[c]), to);
                // Added while the run is still in cache: TensorPrimitives has no MultiplyAdd by two scalars.
                if (addend is not null) TensorPrimitives.Add(to, T.CreateTruncating(addend[c]), to);
            }
        }
    }
}
