using System.Text.Json.Nodes;
using Backprop.IO;

namespace Backprop.NN;

/// <summary>The rectified linear unit max(0, x) applied element-wise; see <see cref="Tensor.Relu"/>.</summary>
public sealed class ReLU : Module, ISerializableLayer<ReLU>, IOnnxExportable, IFusable
{
    /// <inheritdoc />
    public override Tensor Forward(Tensor input) => input.Relu();

    /// <summary>A following <see cref="MaxPool2d"/> pools first and applies ReLU to the fewer pooled values: the same bits, as max and ReLU commute.</summary>
    Tensor? IFusable.ForwardFused(Module next, Tensor input) => next is MaxPool2d pool ? pool.ForwardOfRelu(input) : null;

    static string ISerializableLayer<ReLU>.TypeName => "ReLU";

    static ReLU ISerializableLayer<ReLU>.FromArguments(LayerArguments arguments) => new();

    JsonObject ISerializableLayer<ReLU>.DescribeArguments() => [];

    string IOnnxExportable.ToOnnx(OnnxGraphBuilder graph, string input) => graph.AddNode("Relu", [input]);

    OnnxInputShape IOnnxExportable.InputShape => OnnxInputShape.KeepsShape;

    /// <inheritdoc />
    public override string ToString() => "ReLU()";
}
