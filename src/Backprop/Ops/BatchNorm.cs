using System.Numerics;
using Backprop.Tensors;

namespace Backprop;

public sealed partial class Tensor
{
    /// <summary>
    /// Batch normalisation with batch statistics, fused into one operation with its own backward rule.
    /// For x [N, C, …] and each channel c over its M = N·(trailing size) values:
    /// μ = mean(x), σ² = mean((x − μ)²) (biased), x̂ = (x − μ)/√(σ² + ε), y = γ·x̂ + β.
    /// Backward (from ∂L/∂y = g, sums over the channel's M values):
    /// ∂L/∂β = Σg, ∂L/∂γ = Σg·x̂, ∂L/∂x = γ/(M·√(σ² + ε)) · (M·g − Σg − x̂·Σg·x̂).
    /// Composing this from mean, subtract, sqrt and divide would record eight operations and keep as many
    /// full-size intermediates; fused it is two passes forward and two backward, with the statistics in float64.
    /// </summary>
    /// <param name="input">x, [N, C, …] with N·(trailing size) ≥ 1.</param>
    /// <param name="weight">γ, [C], or null for γ = 1.</param>
    /// <param name="bias">β, [C], or null for β = 0.</param>
    /// <param name="epsilon">ε, added to the variance for stability.</param>
    /// <param name="batchMean">μ per channel, for the caller's running statistics.</param>
    /// <param name="batchVariance">The biased σ² per channel.</param>
    internal static Tensor BatchNormTraining(Tensor input, Tensor? weight, Tensor? bias, double epsilon,
        out double[] batchMean, out double[] batchVariance)
    {
        if (weight is not null) input.RequireSameDType("BatchNorm", weight);
        if (bias is not null) input.RequireSameDType("BatchNorm", bias);
        var layout = new ChannelLayout(input.Dims);
        batchMean = new double[layout.Channels];
        batchVariance = new double[layout.Channels];
        var inverseStd = new double[layout.Channels];
        var normalized = Zeroed(input.DType, input.Dims);
        var result = Zeroed(input.DType, input.Dims);
        if (input.DType == DType.Float32)
            BatchNormForward<float>(input, weight, bias, normalized, result, layout, epsilon, batchMean, batchVariance, inverseStd);
        else
            BatchNormForward<double>(input, weight, bias, normalized, result, layout, epsilon, batchMean, batchVariance, inverseStd);

        Tensor[] inputs = [input, .. new[] { weight, bias }.OfType<Tensor>()];
        return Record(result, "BatchNorm", inputs, g =>
        {
            if (g.DType == DType.Float32) BatchNormBackward<float>(g, input, weight, bias, normalized, layout, inverseStd);
            else BatchNormBackward<double>(g, input, weight, bias, normalized, layout, inverseStd);
        });
    }

    /// <summary>x [N, C, …] seen as N blocks of C channels of <see cref="Inner"/> contiguous values.</summary>
    private readonly record struct ChannelLayout(int Outer, int Channels, int Inner)
    {
        public ChannelLayout(int[] dims) : this(dims[0], dims[1], ShapeMath.ElementCount(dims.AsSpan(2))) { }

        /// <summary>Values per channel: M.</summary>
        public int PerChannel => Outer * Inner;

        /// <summary>Where channel <paramref name="c"/>'s values of sample <paramref name="n"/> start.</summary>
        public int Start(int n, int c) => (n * Channels + c) * Inner;
    }

    private static void BatchNormForward<T>(Tensor input, Tensor? weight, Tensor? bias, Tensor normalized, Tensor result,
        ChannelLayout layout, double epsilon, double[] mean, double[] variance, double[] inverseStd)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var x = input.Span<T>();
        var xHat = normalized.Span<T>();
        var y = result.Span<T>();
        for (int c = 0; c < layout.Channels; c++)
        {
            double sum = 0;
            for (int n = 0; n < layout.Outer; n++)
                foreach (var value in x.Slice(layout.Start(n, c), layout.Inner)) sum += double.CreateTruncating(value);
            mean[c] = sum / layout.PerChannel;
            // Two passes rather than E[x²] − μ², which cancels catastrophically when |μ| ≫ σ.
            double squares = 0;
            for (int n = 0; n < layout.Outer; n++)
                foreach (var value in x.Slice(layout.Start(n, c), layout.Inner))
                {
                    double centred = double.CreateTruncating(value) - mean[c];
                    squares += centred * centred;
                }
            variance[c] = squares / layout.PerChannel;
            inverseStd[c] = 1 / Math.Sqrt(variance[c] + epsilon);

            double gamma = weight is null ? 1 : double.CreateTruncating(weight.Span<T>()[c]);
            double beta = bias is null ? 0 : double.CreateTruncating(bias.Span<T>()[c]);
            for (int n = 0; n < layout.Outer; n++)
            {
                int start = layout.Start(n, c);
                for (int i = start; i < start + layout.Inner; i++)
                {
                    double normalizedValue = (double.CreateTruncating(x[i]) - mean[c]) * inverseStd[c];
                    xHat[i] = T.CreateTruncating(normalizedValue);
                    y[i] = T.CreateTruncating(gamma * normalizedValue + beta);
                }
            }
        }
    }

    private static void BatchNormBackward<T>(Tensor gradient, Tensor input, Tensor? weight, Tensor? bias, Tensor normalized,
        ChannelLayout layout, double[] inverseStd)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var g = gradient.Span<T>();
        var xHat = normalized.Span<T>();
        var gradientSum = new double[layout.Channels];
        var gradientDotNormalized = new double[layout.Channels];
        for (int c = 0; c < layout.Channels; c++)
            for (int n = 0; n < layout.Outer; n++)
            {
                int start = layout.Start(n, c);
                for (int i = start; i < start + layout.Inner; i++)
                {
                    double gi = double.CreateTruncating(g[i]);
                    gradientSum[c] += gi;
                    gradientDotNormalized[c] += gi * double.CreateTruncating(xHat[i]);
                }
            }

        if (bias is not null && bias.RequiresGrad) bias.AccumulateGradient(FromChannelValues<T>(gradientSum));
        if (weight is not null && weight.RequiresGrad) weight.AccumulateGradient(FromChannelValues<T>(gradientDotNormalized));
        if (!input.RequiresGrad) return;

        var gx = Zeroed(input.DType, input.Dims);
        var gxs = gx.Span<T>();
        int count = layout.PerChannel;
        for (int c = 0; c < layout.Channels; c++)
        {
            double gamma = weight is null ? 1 : double.CreateTruncating(weight.Span<T>()[c]);
            double scale = gamma * inverseStd[c] / count;
            for (int n = 0; n < layout.Outer; n++)
            {
                int start = layout.Start(n, c);
                for (int i = start; i < start + layout.Inner; i++)
                    gxs[i] = T.CreateTruncating(scale * (count * double.CreateTruncating(g[i]) - gradientSum[c]
                        - double.CreateTruncating(xHat[i]) * gradientDotNormalized[c]));
            }
        }
        input.AccumulateGradient(gx);
    }

    private static Tensor FromChannelValues<T>(double[] values) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var result = new T[values.Length];
        for (int i = 0; i < values.Length; i++) result[i] = T.CreateTruncating(values[i]);
        return new Tensor(result, [values.Length]);
    }
}
