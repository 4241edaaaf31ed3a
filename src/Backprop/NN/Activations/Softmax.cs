using System.Text.Json.Nodes;
using Backprop.IO;

namespace Backprop.NN;

/// <summary>Softmax along the last axis, turning scores into probabilities; see <see cref="Tensor.Softmax"/>.</summary>
public sealed class Softmax : Module, ISerializableLayer<Softmax>, IOnnxExportable
{
    /// <inheritdoc />
    public override Tensor Forward(Tensor input) => input.Softmax();

    static string ISerializableLayer<Softmax>.TypeName => "Softmax";

    static Softmax ISerializableLayer<Softmax>.FromArguments(LayerArguments arguments) => new();

    JsonObject ISerializableLayer<Softmax>.DescribeArguments() => [];

    string IOnnxExportable.ToOnnx(OnnxGraphBuilder graph, string input) => graph.AddNode("Softmax", [input], OnnxAttribute.Int("axis", -1));

    OnnxInputShape IOnnxExportable.InputShape => OnnxInputShape.KeepsShape;

    /// <inheritdoc />
    public override string ToString() => "Softmax()";
}
