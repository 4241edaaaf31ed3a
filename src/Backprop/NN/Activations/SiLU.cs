using System.Text.Json.Nodes;
using Backprop.IO;

namespace Backprop.NN;

/// <summary>
/// The sigmoid-weighted linear unit x·σ(x) applied element-wise (PyTorch's <c>nn.SiLU</c>, also called swish):
/// smooth, and unlike ReLU it lets a little negative signal and gradient through; see <see cref="Tensor.Silu"/>.
/// </summary>
public sealed class SiLU : Module, ISerializableLayer<SiLU>, IOnnxExportable
{
    /// <inheritdoc />
    public override Tensor Forward(Tensor input) => input.Silu();

    static string ISerializableLayer<SiLU>.TypeName => "SiLU";

    static SiLU ISerializableLayer<SiLU>.FromArguments(LayerArguments arguments) => new();

    JsonObject ISerializableLayer<SiLU>.DescribeArguments() => [];

    /// <summary>x·Sigmoid(x): opset 13 has no SiLU operator.</summary>
    string IOnnxExportable.ToOnnx(OnnxGraphBuilder graph, string input) => graph.AddNode("Mul", [input, graph.AddNode("Sigmoid", [input])]);

    OnnxInputShape IOnnxExportable.InputShape => OnnxInputShape.KeepsShape;

    /// <inheritdoc />
    public override string ToString() => "SiLU()";
}
