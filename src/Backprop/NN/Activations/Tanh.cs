using System.Text.Json.Nodes;
using Backprop.IO;

namespace Backprop.NN;

/// <summary>The hyperbolic tangent applied element-wise; see <see cref="Tensor.Tanh"/>.</summary>
public sealed class Tanh : Module, ISerializableLayer<Tanh>, IOnnxExportable
{
    /// <inheritdoc />
    public override Tensor Forward(Tensor input) => input.Tanh();

    static string ISerializableLayer<Tanh>.TypeName => "Tanh";

    static Tanh ISerializableLayer<Tanh>.FromArguments(LayerArguments arguments) => new();

    JsonObject ISerializableLayer<Tanh>.DescribeArguments() => [];

    string IOnnxExportable.ToOnnx(OnnxGraphBuilder graph, string input) => graph.AddNode("Tanh", [input]);

    OnnxInputShape IOnnxExportable.InputShape => OnnxInputShape.KeepsShape;

    /// <inheritdoc />
    public override string ToString() => "Tanh()";
}
