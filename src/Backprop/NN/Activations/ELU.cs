using System.Text.Json.Nodes;
using Backprop.IO;

namespace Backprop.NN;

/// <summary>x for x &gt; 0, else α(eˣ − 1), element-wise; see <see cref="Tensor.Elu"/>.</summary>
public sealed class ELU(double alpha = 1.0) : Module, ISerializableLayer<ELU>, IOnnxExportable
{
    /// <inheritdoc />
    public override Tensor Forward(Tensor input) => input.Elu(Alpha);

    /// <summary>The value approached for large negative inputs is −α.</summary>
    public double Alpha { get; } = double.IsFinite(alpha)
        ? alpha
        : throw new ArgumentOutOfRangeException(nameof(alpha), alpha, "ELU: alpha must be finite.");

    static string ISerializableLayer<ELU>.TypeName => "ELU";

    static ELU ISerializableLayer<ELU>.FromArguments(LayerArguments arguments) => new(arguments.GetDouble("alpha", 1.0));

    JsonObject ISerializableLayer<ELU>.DescribeArguments() => new() { ["alpha"] = Alpha };

    string IOnnxExportable.ToOnnx(OnnxGraphBuilder graph, string input) => graph.AddNode("Elu", [input], OnnxAttribute.Float("alpha", (float)Alpha));

    OnnxInputShape IOnnxExportable.InputShape => OnnxInputShape.KeepsShape;

    /// <inheritdoc />
    public override string ToString() => FormattableString.Invariant($"ELU({Alpha})");
}
