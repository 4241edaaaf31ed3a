using System.Text;
using System.Text.Json.Nodes;
using Backprop.IO;
using Backprop.Tensors;

namespace Backprop.NN;

/// <summary>
/// A 2-D convolution layer over NCHW batches (PyTorch's <c>nn.Conv2d</c>): parameters <c>weight</c>
/// <c>[outChannels, inChannels, kh, kw]</c> and <c>bias</c> <c>[outChannels]</c>, and a call to
/// <see cref="Tensor.Conv2d(Tensor, Tensor, Tensor?, ValueTuple{int, int}, ValueTuple{int, int}, ValueTuple{int, int})"/>.
/// Input <c>[N, inChannels, H, W]</c> gives <c>[N, outChannels, OH, OW]</c> with
/// <c>OH = ⌊(H + 2·padding − dilation·(kh − 1) − 1) / stride⌋ + 1</c> (likewise OW).
/// </summary>
/// <example>
/// <code>
/// var conv = new Conv2d(1, 8, kernelSize: 3, padding: 1);   // "weight" [8, 1, 3, 3], "bias" [8]
/// var y = conv.Forward(Tensor.Zeros(64, 1, 28, 28));        // [64, 8, 28, 28]
/// </code>
/// </example>
public sealed class Conv2d : Module, ISerializableLayer<Conv2d>, IOnnxExportable
{
    private readonly string _description;

    /// <summary>
    /// Creates a layer with a square kernel, stride, padding and dilation and PyTorch's default
    /// initialisation: weight and bias uniform in ±1/√fanIn, fanIn = inChannels·kh·kw (Kaiming uniform
    /// with a = √5), drawn from <see cref="Rng"/> or from <paramref name="seed"/>.
    /// </summary>
    /// <param name="inChannels">Channels of the input, C; ≥ 1.</param>
    /// <param name="outChannels">Filters, so channels of the output; ≥ 1.</param>
    /// <param name="kernelSize">Window height and width; ≥ 1.</param>
    /// <param name="stride">Step between windows; ≥ 1.</param>
    /// <param name="padding">Zeros added on each side of height and width; ≥ 0.</param>
    /// <param name="dilation">Distance between window taps; ≥ 1.</param>
    /// <param name="bias">Whether to add a learned bias per output channel.</param>
    /// <param name="seed">A seed for this layer's initial values; omitted, the thread's <see cref="Rng"/> is used.</param>
    /// <exception cref="ArgumentOutOfRangeException">A value is outside its range; the message quotes it.</exception>
    public Conv2d(int inChannels, int outChannels, int kernelSize, int stride = 1, int padding = 0, int dilation = 1, bool bias = true, int? seed = null)
        : this(inChannels, outChannels, (kernelSize, kernelSize), (stride, stride), (padding, padding), (dilation, dilation), bias, seed)
    {
    }

    /// <summary>Creates a layer with (height, width) kernel size, stride, padding and dilation; otherwise as the square constructor.</summary>
    /// <param name="inChannels">Channels of the input, C; ≥ 1.</param>
    /// <param name="outChannels">Filters, so channels of the output; ≥ 1.</param>
    /// <param name="kernelSize">Window (height, width); each ≥ 1.</param>
    /// <param name="stride">Step between windows; null means (1, 1).</param>
    /// <param name="padding">Zeros added on each side; null means (0, 0).</param>
    /// <param name="dilation">Distance between window taps; null means (1, 1).</param>
    /// <param name="bias">Whether to add a learned bias per output channel.</param>
    /// <param name="seed">A seed for this layer's initial values; omitted, the thread's <see cref="Rng"/> is used.</param>
    /// <exception cref="ArgumentOutOfRangeException">A value is outside its range; the message quotes it.</exception>
    public Conv2d(
        int inChannels, int outChannels, (int Height, int Width) kernelSize, (int Height, int Width)? stride = null,
        (int Height, int Width)? padding = null, (int Height, int Width)? dilation = null, bool bias = true, int? seed = null)
    {
        InChannels = inChannels;
        OutChannels = outChannels;
        KernelSize = kernelSize;
        Stride = stride ?? (1, 1);
        Padding = padding ?? (0, 0);
        Dilation = dilation ?? (1, 1);
        _description = Describe(bias);
        if (inChannels < 1)
            throw new ArgumentOutOfRangeException(nameof(inChannels), inChannels, $"{_description}: inChannels must be ≥ 1, got {inChannels}.");
        if (outChannels < 1)
            throw new ArgumentOutOfRangeException(nameof(outChannels), outChannels, $"{_description}: outChannels must be ≥ 1, got {outChannels}.");
        WindowArguments.RequireAtLeast(_description, nameof(kernelSize), KernelSize, 1);
        WindowArguments.RequireAtLeast(_description, nameof(stride), Stride, 1);
        WindowArguments.RequireAtLeast(_description, nameof(padding), Padding, 0);
        WindowArguments.RequireAtLeast(_description, nameof(dilation), Dilation, 1);

        var random = Rng.ForLayer(seed);
        Weight = RegisterParameter("weight", Tensor.Zeros(outChannels, inChannels, kernelSize.Height, kernelSize.Width));
        Init.KaimingUniform(Weight, random, negativeSlope: Math.Sqrt(5));
        if (bias)
        {
            double bound = 1 / Math.Sqrt((double)inChannels * kernelSize.Height * kernelSize.Width);
            Bias = RegisterParameter("bias", Tensor.RandomUniform([outChannels], random, -bound, bound));
        }
    }

    /// <summary>Channels of the input.</summary>
    public int InChannels { get; }

    /// <summary>Channels of the output (number of filters).</summary>
    public int OutChannels { get; }

    /// <summary>Window (height, width).</summary>
    public (int Height, int Width) KernelSize { get; }

    /// <summary>Step between windows (height, width).</summary>
    public (int Height, int Width) Stride { get; }

    /// <summary>Zeros added on each side (height, width).</summary>
    public (int Height, int Width) Padding { get; }

    /// <summary>Distance between window taps (height, width).</summary>
    public (int Height, int Width) Dilation { get; }

    /// <summary>The filters, <c>[outChannels, inChannels, kh, kw]</c>.</summary>
    public Tensor Weight { get; }

    /// <summary>The biases, <c>[outChannels]</c>, or null when created with <c>bias: false</c>.</summary>
    public Tensor? Bias { get; }

    /// <inheritdoc />
    /// <exception cref="ArgumentException">
    /// The input is not <c>[N, inChannels, H, W]</c>, or the dilated kernel is larger than the padded
    /// input; the message names this layer and quotes the shapes.
    /// </exception>
    public override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Rank != 4 || input.Dims[1] != InChannels)
            throw new ArgumentException(
                $"{_description}: expected input of shape [batch, {InChannels}, height, width], got {ShapeMath.Format(input.Dims)}.", nameof(input));
        return Tensor.Conv2d(input, Weight, Bias, Stride, Padding, Dilation, _description);
    }

    static string ISerializableLayer<Conv2d>.TypeName => "Conv2d";

    static Conv2d ISerializableLayer<Conv2d>.FromArguments(LayerArguments arguments)
    {
        int inChannels = arguments.GetInt("in_channels"), outChannels = arguments.GetInt("out_channels");
        var kernelSize = arguments.GetPair("kernel_size");
        var (stride, padding, dilation) = (arguments.GetPair("stride", (1, 1)), arguments.GetPair("padding", (0, 0)), arguments.GetPair("dilation", (1, 1)));
        bool bias = arguments.GetBool("bias", true);
        arguments.Allocates(LayerArguments.Elements(outChannels, LayerArguments.Sum(LayerArguments.Elements(inChannels, kernelSize.Height, kernelSize.Width), bias ? 1 : 0)));
        return new Conv2d(inChannels, outChannels, kernelSize, stride, padding, dilation, bias, seed: 0);
    }

    JsonObject ISerializableLayer<Conv2d>.DescribeArguments() => new()
    {
        ["in_channels"] = InChannels, ["out_channels"] = OutChannels, ["kernel_size"] = WindowArguments.ToJson(KernelSize),
        ["stride"] = WindowArguments.ToJson(Stride), ["padding"] = WindowArguments.ToJson(Padding), ["dilation"] = WindowArguments.ToJson(Dilation), ["bias"] = Bias is not null,
    };

    string IOnnxExportable.ToOnnx(OnnxGraphBuilder graph, string input) => graph.AddNode("Conv",
        [input, graph.AddInitializer("weight", Weight), Bias is null ? "" : graph.AddInitializer("bias", Bias)],
        OnnxAttribute.Pair("kernel_shape", KernelSize), OnnxAttribute.Pair("strides", Stride), OnnxAttribute.Pads(Padding), OnnxAttribute.Pair("dilations", Dilation));

    /// <summary>The layer and its non-default arguments, e.g. <c>Conv2d(1, 8, kernelSize: 3, padding: 1)</c>.</summary>
    public override string ToString() => _description;

    private string Describe(bool bias)
    {
        var text = new StringBuilder($"Conv2d({InChannels}, {OutChannels}, kernelSize: {WindowArguments.Describe(KernelSize)}");
        if (Stride != (1, 1)) text.Append($", stride: {WindowArguments.Describe(Stride)}");
        if (Padding != (0, 0)) text.Append($", padding: {WindowArguments.Describe(Padding)}");
        if (Dilation != (1, 1)) text.Append($", dilation: {WindowArguments.Describe(Dilation)}");
        if (!bias) text.Append(", bias: false");
        return text.Append(')').ToString();
    }
}
