using System.Text.Json.Nodes;
using Backprop.IO;

namespace Backprop.NN;

/// <summary>The rectified linear unit max(0, x) applied element-wise; see <see cref="Tensor.Relu"/>.</summary>
public sealed class ReLU : Module, ISerializableLayer<ReLU>, IOnnxExportable
{
    /// <inheritdoc />
    public override Tensor Forward(Tensor input) => input.Relu();

    static string ISerializableLayer<ReLU>.TypeName => "ReLU";

    static ReLU ISerializableLayer<ReLU>.FromArguments(LayerArguments arguments) => new();

    JsonObject ISerializableLayer<ReLU>.DescribeArguments() => [];

    string IOnnxExportable.ToOnnx(OnnxGraphBuilder graph, string input) => graph.AddNode("Relu", [input]);

    OnnxInputShape IOnnxExportable.InputShape => OnnxInputShape.KeepsShape;

    /// <inheritdoc />
    public override string ToString() => "ReLU()";
}
