using System.Text;
using System.Text.Json.Nodes;
using Backprop.IO;

namespace Backprop.NN;

/// <summary>
/// 2-D average pooling over NCHW batches (PyTorch's <c>nn.AvgPool2d</c>, <c>ceil_mode=False</c>): each
/// output is the mean of its window; the backward pass shares the gradient equally over the window.
/// A call to <see cref="Tensor.AvgPool2d(Tensor, ValueTuple{int, int}, ValueTuple{int, int}?, ValueTuple{int, int}, bool)"/>;
/// no parameters.
/// </summary>
/// <example><c>new AvgPool2d(2).Forward(x)</c> halves a [64, 8, 28, 28] batch to [64, 8, 14, 14].</example>
public sealed class AvgPool2d : Module, ISerializableLayer<AvgPool2d>, IOnnxExportable
{
    private readonly string _description;

    /// <summary>Creates a square pooling window.</summary>
    /// <param name="kernelSize">Window height and width; ≥ 1.</param>
    /// <param name="stride">Step between windows; null (PyTorch's default) means <paramref name="kernelSize"/>.</param>
    /// <param name="padding">Zero padding on each side; 0 ≤ padding ≤ kernelSize / 2.</param>
    /// <param name="countIncludePad">Whether padding zeros count in the divisor (PyTorch's default), or only taps inside the input.</param>
    /// <exception cref="ArgumentOutOfRangeException">A value is outside its range; the message quotes it.</exception>
    public AvgPool2d(int kernelSize, int? stride = null, int padding = 0, bool countIncludePad = true)
        : this((kernelSize, kernelSize), stride is int s ? (s, s) : null, (padding, padding), countIncludePad)
    {
    }

    /// <summary>Creates a (height, width) pooling window; otherwise as the square constructor.</summary>
    /// <param name="kernelSize">Window (height, width); each ≥ 1.</param>
    /// <param name="stride">Step between windows; null means <paramref name="kernelSize"/>.</param>
    /// <param name="padding">Zero padding on each side, at most half the window; null means (0, 0).</param>
    /// <param name="countIncludePad">Whether padding zeros count in the divisor.</param>
    /// <exception cref="ArgumentOutOfRangeException">A value is outside its range; the message quotes it.</exception>
    public AvgPool2d(
        (int Height, int Width) kernelSize, (int Height, int Width)? stride = null, (int Height, int Width)? padding = null, bool countIncludePad = true)
    {
        KernelSize = kernelSize;
        Stride = stride ?? kernelSize;
        Padding = padding ?? (0, 0);
        CountIncludePad = countIncludePad;
        _description = Describe();
        WindowArguments.RequireAtLeast(_description, nameof(kernelSize), KernelSize, 1);
        WindowArguments.RequireAtLeast(_description, nameof(stride), Stride, 1);
        WindowArguments.RequireAtLeast(_description, nameof(padding), Padding, 0);
        WindowArguments.RequireHalfKernelPadding(_description, KernelSize, Padding);
    }

    /// <summary>Window (height, width).</summary>
    public (int Height, int Width) KernelSize { get; }

    /// <summary>Step between windows (height, width).</summary>
    public (int Height, int Width) Stride { get; }

    /// <summary>Zero padding on each side (height, width).</summary>
    public (int Height, int Width) Padding { get; }

    /// <summary>Whether padding zeros count in the divisor.</summary>
    public bool CountIncludePad { get; }

    /// <inheritdoc />
    /// <exception cref="ArgumentException">The input is not 4-D, or the window is larger than the padded input; the message names this layer.</exception>
    public override Tensor Forward(Tensor input) => Tensor.AvgPool2d(input, KernelSize, Stride, Padding, CountIncludePad, _description);

    static string ISerializableLayer<AvgPool2d>.TypeName => "AvgPool2d";

    static AvgPool2d ISerializableLayer<AvgPool2d>.FromArguments(LayerArguments arguments)
    {
        var kernelSize = arguments.GetPair("kernel_size");
        return new AvgPool2d(kernelSize, arguments.GetPair("stride", kernelSize), arguments.GetPair("padding", (0, 0)), arguments.GetBool("count_include_pad", true));
    }

    JsonObject ISerializableLayer<AvgPool2d>.DescribeArguments() => new()
    {
        ["kernel_size"] = WindowArguments.ToJson(KernelSize), ["stride"] = WindowArguments.ToJson(Stride),
        ["padding"] = WindowArguments.ToJson(Padding), ["count_include_pad"] = CountIncludePad,
    };

    string IOnnxExportable.ToOnnx(OnnxGraphBuilder graph, string input) => graph.AddNode("AveragePool", [input],
        OnnxAttribute.Pair("kernel_shape", KernelSize), OnnxAttribute.Pair("strides", Stride), OnnxAttribute.Pads(Padding),
        OnnxAttribute.Int("count_include_pad", CountIncludePad ? 1 : 0));

    /// <summary>The layer and its non-default arguments, e.g. <c>AvgPool2d(kernelSize: 3, stride: 1, padding: 1)</c>.</summary>
    public override string ToString() => _description;

    private string Describe()
    {
        var text = new StringBuilder($"AvgPool2d(kernelSize: {WindowArguments.Describe(KernelSize)}");
        if (Stride != KernelSize) text.Append($", stride: {WindowArguments.Describe(Stride)}");
        if (Padding != (0, 0)) text.Append($", padding: {WindowArguments.Describe(Padding)}");
        if (!CountIncludePad) text.Append(", countIncludePad: false");
        return text.Append(')').ToString();
    }
}
