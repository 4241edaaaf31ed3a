using System.Text.Json.Nodes;
using Backprop.IO;
using Backprop.Tensors;

namespace Backprop.NN;

/// <summary>
/// Standardises each input feature with statistics fitted on the training data: y = (x − mean) / std.
/// It holds no trainable parameters; mean and std are buffers, saved with the model, so a loaded model
/// scales new inputs exactly as its training data was scaled (as Keras's <c>Normalization</c> layer).
/// </summary>
/// <example>
/// <code>
/// var scaler = Standardizer.Fit(table.Features, table.FeatureCount, split.Train);
/// var model = new Sequential(new Standardize(scaler.Mean, scaler.StandardDeviation), new Dense(4, 16), new Tanh(), new Dense(16, 3));
/// </code>
/// </example>
public sealed class Standardize : Module, ISerializableLayer<Standardize>, IOnnxExportable
{
    /// <summary>Creates the layer from per-feature means and standard deviations (a zero std divides by 1 instead).</summary>
    /// <exception cref="ArgumentException">The lists differ in length or are empty, or a value is not finite or a std negative.</exception>
    public Standardize(IReadOnlyList<float> mean, IReadOnlyList<float> standardDeviation)
    {
        ArgumentNullException.ThrowIfNull(mean);
        ArgumentNullException.ThrowIfNull(standardDeviation);
        if (mean.Count == 0 || mean.Count != standardDeviation.Count)
            throw new ArgumentException($"Standardize: {mean.Count} means and {standardDeviation.Count} standard deviations; need the same non-zero number.");
        for (int i = 0; i < mean.Count; i++)
            if (!float.IsFinite(mean[i]) || !(standardDeviation[i] >= 0) || !float.IsFinite(standardDeviation[i]))
                throw new ArgumentException($"Standardize: feature {i} has mean {mean[i]} and std {standardDeviation[i]}; both must be finite and the std ≥ 0.");
        Features = mean.Count;
        Mean = RegisterBuffer("mean", Tensor.FromArray(mean.ToArray(), Features));
        StandardDeviation = RegisterBuffer("std", Tensor.FromArray(standardDeviation.Select(s => s == 0 ? 1f : s).ToArray(), Features));
    }

    /// <summary>Number of features.</summary>
    public int Features { get; }

    /// <summary>Per-feature means, [features].</summary>
    public Tensor Mean { get; }

    /// <summary>Per-feature standard deviations, [features] (zeros replaced by 1).</summary>
    public Tensor StandardDeviation { get; }

    /// <inheritdoc />
    /// <exception cref="ArgumentException">The input is not [batch, <see cref="Features"/>].</exception>
    public override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Rank != 2 || input.Dims[1] != Features)
            throw new ArgumentException($"{this}: expected input of shape [batch, {Features}], got {ShapeMath.Format(input.Dims)}.", nameof(input));
        return (input - Mean) / StandardDeviation;
    }

    static string ISerializableLayer<Standardize>.TypeName => "Standardize";

    /// <summary>A layer with placeholder statistics: the file's "mean" and "std" tensors replace them.</summary>
    static Standardize ISerializableLayer<Standardize>.FromArguments(LayerArguments arguments)
    {
        int features = arguments.GetInt("features");
        if (features < 1) throw arguments.Error($"Standardize: features must be ≥ 1, got {features}.");
        arguments.Allocates(2L * features);
        return new Standardize(new float[features], Enumerable.Repeat(1f, features).ToArray());
    }

    JsonObject ISerializableLayer<Standardize>.DescribeArguments() => new() { ["features"] = Features };

    string IOnnxExportable.ToOnnx(OnnxGraphBuilder graph, string input) =>
        graph.AddNode("Div", [graph.AddNode("Sub", [input, graph.AddInitializer("mean", Mean)]), graph.AddInitializer("std", StandardDeviation)]);

    OnnxInputShape IOnnxExportable.InputShape => OnnxInputShape.Of(Features);

    /// <inheritdoc />
    public override string ToString() => $"Standardize({Features})";
}
