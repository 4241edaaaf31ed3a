using System.Text.Json.Nodes;
using Backprop.IO;

namespace Backprop.NN;

/// <summary>The Gaussian error linear unit x·Φ(x) (exact erf form) applied element-wise; see <see cref="Tensor.Gelu"/>.</summary>
public sealed class GELU : Module, ISerializableLayer<GELU>, IOnnxExportable
{
    /// <inheritdoc />
    public override Tensor Forward(Tensor input) => input.Gelu();

    static string ISerializableLayer<GELU>.TypeName => "GELU";

    static GELU ISerializableLayer<GELU>.FromArguments(LayerArguments arguments) => new();

    JsonObject ISerializableLayer<GELU>.DescribeArguments() => [];

    /// <summary>The exact GELU ½·x·(1 + erf(x/√2)) from opset-13 operators (ONNX's own Gelu needs opset 20).</summary>
    string IOnnxExportable.ToOnnx(OnnxGraphBuilder graph, string input)
    {
        string scaled = graph.AddNode("Div", [input, graph.AddConstant(Math.Sqrt(2))]);
        string onePlusErf = graph.AddNode("Add", [graph.AddNode("Erf", [scaled]), graph.AddConstant(1)]);
        return graph.AddNode("Mul", [graph.AddNode("Mul", [input, onePlusErf]), graph.AddConstant(0.5)]);
    }

    OnnxInputShape IOnnxExportable.InputShape => OnnxInputShape.KeepsShape;

    /// <inheritdoc />
    public override string ToString() => "GELU()";
}
