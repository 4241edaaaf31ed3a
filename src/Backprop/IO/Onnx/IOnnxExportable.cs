using Backprop.NN;

namespace Backprop.IO;

/// <summary>
/// A layer's ONNX contract, written beside its forward pass: the nodes of its evaluation form and what it tells
/// about the model's input shape. <see cref="OnnxExporter"/> exports any module that implements it; for a type
/// you cannot change, register an export with <see cref="OnnxExporter.Register"/> instead.
/// </summary>
/// <remarks>
/// <code>
/// public sealed class Scale(double factor) : Module, IOnnxExportable
/// {
///     public double Factor { get; } = factor;
///     public override Tensor Forward(Tensor input) =&gt; input * Factor;
///     public string ToOnnx(OnnxGraphBuilder graph, string input) =&gt; graph.AddNode("Mul", [input, graph.AddConstant(Factor)]);
///     public OnnxInputShape InputShape =&gt; OnnxInputShape.KeepsShape;
/// }
/// </code>
/// </remarks>
public interface IOnnxExportable
{
    /// <summary>
    /// Adds the layer's nodes, reading the value named <paramref name="input"/>, and returns the name of its
    /// output value. Initializers take the layer's own names (<c>graph.AddInitializer("weight", Weight)</c>);
    /// the builder puts the layer's path in front.
    /// </summary>
    string ToOnnx(OnnxGraphBuilder graph, string input);

    /// <summary>What the layer tells about its per-example input shape; <see cref="OnnxInputShape.Unknown"/> unless the layer says more.</summary>
    OnnxInputShape InputShape => OnnxInputShape.Unknown;
}
