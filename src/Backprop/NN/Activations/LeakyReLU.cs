using System.Text.Json.Nodes;
using Backprop.IO;

namespace Backprop.NN;

/// <summary>x for x &gt; 0, else negativeSlope·x, element-wise; see <see cref="Tensor.LeakyRelu"/>.</summary>
public sealed class LeakyReLU(double negativeSlope = 0.01) : Module, ISerializableLayer<LeakyReLU>, IOnnxExportable
{
    /// <inheritdoc />
    public override Tensor Forward(Tensor input) => input.LeakyRelu(NegativeSlope);

    /// <summary>The slope for negative inputs.</summary>
    public double NegativeSlope { get; } = double.IsFinite(negativeSlope)
        ? negativeSlope
        : throw new ArgumentOutOfRangeException(nameof(negativeSlope), negativeSlope, "LeakyReLU: negativeSlope must be finite.");

    static string ISerializableLayer<LeakyReLU>.TypeName => "LeakyReLU";

    static LeakyReLU ISerializableLayer<LeakyReLU>.FromArguments(LayerArguments arguments) => new(arguments.GetDouble("negative_slope", 0.01));

    JsonObject ISerializableLayer<LeakyReLU>.DescribeArguments() => new() { ["negative_slope"] = NegativeSlope };

    string IOnnxExportable.ToOnnx(OnnxGraphBuilder graph, string input) => graph.AddNode("LeakyRelu", [input], OnnxAttribute.Float("alpha", (float)NegativeSlope));

    OnnxInputShape IOnnxExportable.InputShape => OnnxInputShape.KeepsShape;

    /// <inheritdoc />
    public override string ToString() => FormattableString.Invariant($"LeakyReLU({NegativeSlope})");
}
