using System.Globalization;
using System.Text.Json.Nodes;
using Backprop.IO;
using Backprop.Tensors;

namespace Backprop.NN;

/// <summary>
/// Merges the dimensions from <see cref="StartDim"/> to the last into one, e.g. [N, C, H, W] → [N, C·H·W]
/// with the default start 1, so a convolutional stack can feed a <see cref="Dense"/> layer (PyTorch's
/// <c>nn.Flatten</c>). A view: no values are copied; backward reshapes the gradient back.
/// </summary>
/// <example>
/// <code>var features = new Flatten().Forward(Tensor.Zeros(8, 16, 5, 5));   // [8, 400]</code>
/// </example>
public sealed class Flatten : Module, ISerializableLayer<Flatten>, IOnnxExportable
{
    /// <summary>Creates the layer.</summary>
    /// <param name="startDim">The first dimension merged; must be ≥ 0. Dimensions before it are kept.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="startDim"/> is negative.</exception>
    public Flatten(int startDim = 1)
    {
        if (startDim < 0)
            throw new ArgumentOutOfRangeException(nameof(startDim), startDim, $"Flatten: startDim must be ≥ 0, got {startDim}.");
        StartDim = startDim;
    }

    /// <summary>The first dimension merged into the last one.</summary>
    public int StartDim { get; }

    /// <inheritdoc />
    /// <exception cref="ArgumentException">The input has no dimension <see cref="StartDim"/>.</exception>
    public override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Rank <= StartDim)
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                $"{this}: expected an input with more than {StartDim} dimensions, got {ShapeMath.Format(input.Dims)}."), nameof(input));
        var dims = new int[StartDim + 1];
        input.Dims.AsSpan(0, StartDim).CopyTo(dims);
        dims[StartDim] = ShapeMath.ElementCount(input.Dims.AsSpan(StartDim));
        return input.Reshape(dims);
    }

    static string ISerializableLayer<Flatten>.TypeName => "Flatten";

    static Flatten ISerializableLayer<Flatten>.FromArguments(LayerArguments arguments) => new(arguments.GetInt("start_dim", 1));

    JsonObject ISerializableLayer<Flatten>.DescribeArguments() => new() { ["start_dim"] = StartDim };

    string IOnnxExportable.ToOnnx(OnnxGraphBuilder graph, string input) => StartDim == 1
        ? graph.AddNode("Flatten", [input], OnnxAttribute.Int("axis", 1))
        // ONNX's Flatten always gives two axes; this layer keeps every axis before StartDim, which Reshape's 0 ("copy this axis") does.
        : graph.AddNode("Reshape", [input, graph.AddInt64Constant([.. Enumerable.Repeat(0L, StartDim), -1])]);

    /// <inheritdoc />
    public override string ToString() => $"Flatten(startDim: {StartDim})";
}
