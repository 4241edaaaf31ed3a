using System.Text.Json.Nodes;
using Backprop.IO;
using Backprop.Tensors;

namespace Backprop.NN;

/// <summary>
/// Scales images and normalises each channel with statistics of the training images:
/// y[n, c, …] = (x[n, c, …] · scale − mean[c]) / std[c]. With <c>scale = 1/255</c> the model takes raw pixel values
/// 0–255 (as an image decoder gives them), so the scaling and normalisation travel inside the model file and its
/// ONNX export (torchvision's <c>ToTensor</c> + <c>Normalize</c>, Keras's <c>Rescaling</c> + <c>Normalization</c>).
/// Mean and std are buffers, not trained.
/// </summary>
/// <example>
/// <code>
/// // Statistics of pixels scaled to [0, 1]; the model then takes pixels 0–255 as [N, 3, H, W].
/// var normalize = new ChannelNormalize([0.49f, 0.48f, 0.45f], [0.25f, 0.24f, 0.26f], scale: 1 / 255f);
/// </code>
/// </example>
public sealed class ChannelNormalize : Module, ISerializableLayer<ChannelNormalize>, IOnnxExportable
{
    /// <summary>Creates the layer from per-channel means and standard deviations (a zero std divides by 1 instead).</summary>
    /// <param name="mean">Mean of each channel, after scaling.</param>
    /// <param name="standardDeviation">Standard deviation of each channel, after scaling, ≥ 0.</param>
    /// <param name="scale">Factor applied to the input first, e.g. 1/255 for pixel values; finite and not 0.</param>
    /// <exception cref="ArgumentException">The lists differ in length or are empty, a value is not finite, a std is negative, or the scale is 0 or not finite.</exception>
    public ChannelNormalize(IReadOnlyList<float> mean, IReadOnlyList<float> standardDeviation, float scale = 1)
    {
        ArgumentNullException.ThrowIfNull(mean);
        ArgumentNullException.ThrowIfNull(standardDeviation);
        if (mean.Count == 0 || mean.Count != standardDeviation.Count)
            throw new ArgumentException($"ChannelNormalize: {mean.Count} means and {standardDeviation.Count} standard deviations; need the same non-zero number.");
        for (int c = 0; c < mean.Count; c++)
            if (!float.IsFinite(mean[c]) || !(standardDeviation[c] >= 0) || !float.IsFinite(standardDeviation[c]))
                throw new ArgumentException($"ChannelNormalize: channel {c} has mean {mean[c]} and std {standardDeviation[c]}; both must be finite and the std ≥ 0.");
        if (!float.IsFinite(scale) || scale == 0)
            throw new ArgumentException($"ChannelNormalize: scale is {scale}; it must be finite and not 0.", nameof(scale));
        Channels = mean.Count;
        Scale = scale;
        Mean = RegisterBuffer("mean", Tensor.FromArray(mean.ToArray(), Channels));
        StandardDeviation = RegisterBuffer("std", Tensor.FromArray(standardDeviation.Select(s => s == 0 ? 1f : s).ToArray(), Channels));
    }

    /// <summary>Number of channels.</summary>
    public int Channels { get; }

    /// <summary>The factor applied to the input before the normalisation.</summary>
    public float Scale { get; }

    /// <summary>Per-channel means, [channels].</summary>
    public Tensor Mean { get; }

    /// <summary>Per-channel standard deviations, [channels] (zeros replaced by 1).</summary>
    public Tensor StandardDeviation { get; }

    /// <inheritdoc />
    /// <exception cref="ArgumentException">The input is not [batch, <see cref="Channels"/>, …] with at least one axis after the channels.</exception>
    public override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Rank < 3 || input.Dims[1] != Channels)
            throw new ArgumentException($"{this}: expected input of shape [batch, {Channels}, height, width], got {ShapeMath.Format(input.Dims)}.", nameof(input));
        input.RequireSameDType(ToString(), Mean);
        // (x·scale − mean)/std = x·(scale/std) − mean/std: one pass, the factors in float64 from the buffers as they are now
        // (a loaded file or To(Float64) replaces them). The statistics are constants, so the gradient reaches x alone.
        double[] mean = Mean.ToDoubleArray(), std = StandardDeviation.ToDoubleArray();
        double[] multiplier = [.. std.Select(s => Scale / s)], addend = [.. mean.Select((m, c) => -m / std[c])];
        return input.ChannelAffine(multiplier, addend);
    }

    static string ISerializableLayer<ChannelNormalize>.TypeName => "ChannelNormalize";

    /// <summary>A layer with placeholder statistics: the file's "mean" and "std" tensors replace them.</summary>
    static ChannelNormalize ISerializableLayer<ChannelNormalize>.FromArguments(LayerArguments arguments)
    {
        int channels = arguments.GetInt("channels");
        if (channels < 1) throw arguments.Error($"ChannelNormalize: channels must be ≥ 1, got {channels}.");
        double scale = arguments.GetDouble("scale");
        if (!double.IsFinite(scale) || scale == 0 || Math.Abs(scale) > float.MaxValue)
            throw arguments.Error($"ChannelNormalize: scale must be finite and not 0, got {scale}.");
        arguments.Allocates(2L * channels);
        return new ChannelNormalize(new float[channels], Enumerable.Repeat(1f, channels).ToArray(), (float)scale);
    }

    JsonObject ISerializableLayer<ChannelNormalize>.DescribeArguments() => new() { ["channels"] = Channels, ["scale"] = Scale };

    /// <summary>Mul by the scale, Sub the means and Div by the stds, the statistics as [C, 1, 1] so they broadcast over NCHW.</summary>
    string IOnnxExportable.ToOnnx(OnnxGraphBuilder graph, string input)
    {
        var scaled = graph.AddNode("Mul", [input, graph.AddConstant(Scale)]);
        var centred = graph.AddNode("Sub", [scaled, graph.AddInitializer("mean", Mean.Reshape(Channels, 1, 1))]);
        return graph.AddNode("Div", [centred, graph.AddInitializer("std", StandardDeviation.Reshape(Channels, 1, 1))]);
    }

    OnnxInputShape IOnnxExportable.InputShape => OnnxInputShape.Unknown;

    /// <inheritdoc />
    public override string ToString() => $"ChannelNormalize({Channels})";
}
