using System.Text;
using System.Text.Json.Nodes;
using Backprop.IO;

namespace Backprop.NN;

/// <summary>
/// 2-D max pooling over NCHW batches (PyTorch's <c>nn.MaxPool2d</c>, <c>ceil_mode=False</c>): each output
/// is the largest input in its window; the backward pass sends the gradient to that input only.
/// A call to <see cref="Tensor.MaxPool2d(Tensor, ValueTuple{int, int}, ValueTuple{int, int}?, ValueTuple{int, int}, ValueTuple{int, int})"/>;
/// no parameters.
/// </summary>
/// <example><c>new MaxPool2d(2).Forward(x)</c> halves a [64, 8, 28, 28] batch to [64, 8, 14, 14].</example>
public sealed class MaxPool2d : Module, ISerializableLayer<MaxPool2d>, IOnnxExportable
{
    private readonly string _description;

    /// <summary>Creates a square pooling window.</summary>
    /// <param name="kernelSize">Window height and width; ≥ 1.</param>
    /// <param name="stride">Step between windows; null (PyTorch's default) means <paramref name="kernelSize"/>.</param>
    /// <param name="padding">Padding on each side, never chosen as a maximum; 0 ≤ padding ≤ kernelSize / 2.</param>
    /// <param name="dilation">Distance between window taps; ≥ 1.</param>
    /// <exception cref="ArgumentOutOfRangeException">A value is outside its range; the message quotes it.</exception>
    public MaxPool2d(int kernelSize, int? stride = null, int padding = 0, int dilation = 1)
        : this((kernelSize, kernelSize), stride is int s ? (s, s) : null, (padding, padding), (dilation, dilation))
    {
    }

    /// <summary>Creates a (height, width) pooling window; otherwise as the square constructor.</summary>
    /// <param name="kernelSize">Window (height, width); each ≥ 1.</param>
    /// <param name="stride">Step between windows; null means <paramref name="kernelSize"/>.</param>
    /// <param name="padding">Padding on each side, at most half the window; null means (0, 0).</param>
    /// <param name="dilation">Distance between window taps; null means (1, 1).</param>
    /// <exception cref="ArgumentOutOfRangeException">A value is outside its range; the message quotes it.</exception>
    public MaxPool2d(
        (int Height, int Width) kernelSize, (int Height, int Width)? stride = null,
        (int Height, int Width)? padding = null, (int Height, int Width)? dilation = null)
    {
        KernelSize = kernelSize;
        Stride = stride ?? kernelSize;
        Padding = padding ?? (0, 0);
        Dilation = dilation ?? (1, 1);
        _description = Describe();
        WindowArguments.RequireAtLeast(_description, nameof(kernelSize), KernelSize, 1);
        WindowArguments.RequireAtLeast(_description, nameof(stride), Stride, 1);
        WindowArguments.RequireAtLeast(_description, nameof(padding), Padding, 0);
        WindowArguments.RequireAtLeast(_description, nameof(dilation), Dilation, 1);
        WindowArguments.RequireHalfKernelPadding(_description, KernelSize, Padding);
    }

    /// <summary>Window (height, width).</summary>
    public (int Height, int Width) KernelSize { get; }

    /// <summary>Step between windows (height, width).</summary>
    public (int Height, int Width) Stride { get; }

    /// <summary>Padding on each side (height, width).</summary>
    public (int Height, int Width) Padding { get; }

    /// <summary>Distance between window taps (height, width).</summary>
    public (int Height, int Width) Dilation { get; }

    /// <inheritdoc />
    /// <exception cref="ArgumentException">The input is not 4-D, or the window is larger than the padded input; the message names this layer.</exception>
    public override Tensor Forward(Tensor input) => Tensor.MaxPool2d(input, KernelSize, Stride, Padding, Dilation, _description);

    /// <summary><c>Forward(input.Relu())</c> as one fused operation, with the same results (see <see cref="Tensor.ReluMaxPool2d"/>).</summary>
    internal Tensor ForwardOfRelu(Tensor input) => Tensor.ReluMaxPool2d(input, KernelSize, Stride, Padding, Dilation, _description);

    static string ISerializableLayer<MaxPool2d>.TypeName => "MaxPool2d";

    static MaxPool2d ISerializableLayer<MaxPool2d>.FromArguments(LayerArguments arguments)
    {
        var kernelSize = arguments.GetPair("kernel_size");
        return new MaxPool2d(kernelSize, arguments.GetPair("stride", kernelSize), arguments.GetPair("padding", (0, 0)), arguments.GetPair("dilation", (1, 1)));
    }

    JsonObject ISerializableLayer<MaxPool2d>.DescribeArguments() => new()
    {
        ["kernel_size"] = WindowArguments.ToJson(KernelSize), ["stride"] = WindowArguments.ToJson(Stride),
        ["padding"] = WindowArguments.ToJson(Padding), ["dilation"] = WindowArguments.ToJson(Dilation),
    };

    string IOnnxExportable.ToOnnx(OnnxGraphBuilder graph, string input) => graph.AddNode("MaxPool", [input],
        OnnxAttribute.Pair("kernel_shape", KernelSize), OnnxAttribute.Pair("strides", Stride), OnnxAttribute.Pads(Padding), OnnxAttribute.Pair("dilations", Dilation));

    /// <summary>The layer and its non-default arguments, e.g. <c>MaxPool2d(kernelSize: 2)</c>.</summary>
    public override string ToString() => _description;

    private string Describe()
    {
        var text = new StringBuilder($"MaxPool2d(kernelSize: {WindowArguments.Describe(KernelSize)}");
        if (Stride != KernelSize) text.Append($", stride: {WindowArguments.Describe(Stride)}");
        if (Padding != (0, 0)) text.Append($", padding: {WindowArguments.Describe(Padding)}");
        if (Dilation != (1, 1)) text.Append($", dilation: {WindowArguments.Describe(Dilation)}");
        return text.Append(')').ToString();
    }
}
