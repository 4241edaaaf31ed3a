using System.Text.Json.Nodes;
using Backprop.IO;

namespace Backprop.NN;

/// <summary>
/// Global average pooling, <c>[N, C, H, W] → [N, C]</c>: the mean of each channel's plane (PyTorch's
/// <c>AdaptiveAvgPool2d(1)</c> then flattening), the usual head of ResNet-style networks. A call to
/// <see cref="Tensor.GlobalAvgPool2d(Tensor)"/>; no parameters.
/// </summary>
/// <example><c>new GlobalAvgPool2d().Forward(x)</c> turns a [64, 16, 7, 7] batch into [64, 16].</example>
public sealed class GlobalAvgPool2d : Module, ISerializableLayer<GlobalAvgPool2d>, IOnnxExportable
{
    /// <inheritdoc />
    /// <exception cref="ArgumentException">The input is not 4-D or is empty; the message names this layer.</exception>
    public override Tensor Forward(Tensor input) => Tensor.GlobalAvgPool2d(input, "GlobalAvgPool2d()");

    static string ISerializableLayer<GlobalAvgPool2d>.TypeName => "GlobalAvgPool2d";

    static GlobalAvgPool2d ISerializableLayer<GlobalAvgPool2d>.FromArguments(LayerArguments arguments) => new();

    JsonObject ISerializableLayer<GlobalAvgPool2d>.DescribeArguments() => [];

    string IOnnxExportable.ToOnnx(OnnxGraphBuilder graph, string input) =>
        graph.AddNode("Flatten", [graph.AddNode("GlobalAveragePool", [input])], OnnxAttribute.Int("axis", 1));

    /// <summary><c>GlobalAvgPool2d()</c>.</summary>
    public override string ToString() => "GlobalAvgPool2d()";
}
