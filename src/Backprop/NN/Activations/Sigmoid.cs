using System.Text.Json.Nodes;
using Backprop.IO;

namespace Backprop.NN;

/// <summary>The logistic function σ(x) = 1/(1 + e⁻ˣ) applied element-wise; see <see cref="Tensor.Sigmoid"/>.</summary>
public sealed class Sigmoid : Module, ISerializableLayer<Sigmoid>, IOnnxExportable
{
    /// <inheritdoc />
    public override Tensor Forward(Tensor input) => input.Sigmoid();

    static string ISerializableLayer<Sigmoid>.TypeName => "Sigmoid";

    static Sigmoid ISerializableLayer<Sigmoid>.FromArguments(LayerArguments arguments) => new();

    JsonObject ISerializableLayer<Sigmoid>.DescribeArguments() => [];

    string IOnnxExportable.ToOnnx(OnnxGraphBuilder graph, string input) => graph.AddNode("Sigmoid", [input]);

    OnnxInputShape IOnnxExportable.InputShape => OnnxInputShape.KeepsShape;

    /// <inheritdoc />
    public override string ToString() => "Sigmoid()";
}
