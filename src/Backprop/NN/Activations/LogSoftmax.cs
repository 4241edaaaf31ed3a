using System.Text.Json.Nodes;
using Backprop.IO;

namespace Backprop.NN;

/// <summary>Log-softmax along the last axis; see <see cref="Tensor.LogSoftmax"/>.</summary>
public sealed class LogSoftmax : Module, ISerializableLayer<LogSoftmax>, IOnnxExportable
{
    /// <inheritdoc />
    public override Tensor Forward(Tensor input) => input.LogSoftmax();

    static string ISerializableLayer<LogSoftmax>.TypeName => "LogSoftmax";

    static LogSoftmax ISerializableLayer<LogSoftmax>.FromArguments(LayerArguments arguments) => new();

    JsonObject ISerializableLayer<LogSoftmax>.DescribeArguments() => [];

    string IOnnxExportable.ToOnnx(OnnxGraphBuilder graph, string input) => graph.AddNode("LogSoftmax", [input], OnnxAttribute.Int("axis", -1));

    OnnxInputShape IOnnxExportable.InputShape => OnnxInputShape.KeepsShape;

    /// <inheritdoc />
    public override string ToString() => "LogSoftmax()";
}
