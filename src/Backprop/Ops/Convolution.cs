using System.Numerics;
using Backprop.Kernels;
using Backprop.Tensors;

namespace Backprop;

public sealed partial class Tensor
{
    /// <summary>
    /// 2-D convolution (cross-correlation, as PyTorch's <c>F.conv2d</c>) of a batch of images, with the
    /// same stride, padding and dilation along height and width.
    /// <c>y[n, o, i, j] = b[o] + Σ_{c, u, v} W[o, c, u, v] · x[n, c, i·s − p + u·d, j·s − p + v·d]</c>
    /// (zero outside the input). See the (height, width) overload for shapes and errors.
    /// </summary>
    /// <example><c>Tensor.Conv2d(x, w, b, padding: 1)</c> with x [64, 1, 28, 28] and w [8, 1, 3, 3] gives [64, 8, 28, 28].</example>
    public static Tensor Conv2d(Tensor input, Tensor weight, Tensor? bias = null, int stride = 1, int padding = 0, int dilation = 1) =>
        Conv2d(input, weight, bias, (stride, stride), (padding, padding), (dilation, dilation), "Conv2d");

    /// <summary>
    /// 2-D convolution with a (height, width) stride s, padding p and dilation d. Input x
    /// <c>[N, C, H, W]</c>, weight W <c>[Cout, C, kh, kw]</c>, bias b <c>[Cout]</c> or null; the output
    /// is <c>[N, Cout, OH, OW]</c> with <c>OH = ⌊(H + 2p − d(kh − 1) − 1) / s⌋ + 1</c> (likewise OW).
    /// Computed as one product <c>W[Cout, C·kh·kw] × columns[C·kh·kw, N·OH·OW]</c>, the Im2Col of every sample side by side.
    /// Backward: <c>∂L/∂W = Σₙ g[n] · Im2Col(x[n])ᵀ</c>, <c>∂L/∂x[n] = Col2Im(Wᵀ · g[n])</c>,
    /// <c>∂L/∂b[o] = Σ over n, i, j of g[n, o, i, j]</c>; results do not depend on the number of cores.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A stride or dilation is below 1, or a padding is negative.</exception>
    /// <exception cref="ArgumentException">
    /// The shapes or dtypes do not fit together, or the dilated kernel is larger than the padded input;
    /// the message quotes the shapes and values.
    /// </exception>
    public static Tensor Conv2d(
        Tensor input, Tensor weight, Tensor? bias, (int Height, int Width) stride, (int Height, int Width) padding, (int Height, int Width) dilation) =>
        Conv2d(input, weight, bias, stride, padding, dilation, "Conv2d");

    /// <summary>The convolution, with errors that begin with <paramref name="caller"/> (a layer's description).</summary>
    internal static Tensor Conv2d(
        Tensor input, Tensor weight, Tensor? bias,
        (int Height, int Width) stride, (int Height, int Width) padding, (int Height, int Width) dilation, string caller)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(weight);
        input.RequireSameDType(caller, weight);
        if (weight.Rank != 4)
            throw new ArgumentException($"{caller}: weight must be [out, in, kh, kw], got shape {ShapeMath.Format(weight.Dims)}.", nameof(weight));
        int outChannels = weight.Dims[0], channels = weight.Dims[1];
        if (input.Rank != 4 || input.Dims[1] != channels)
            throw new ArgumentException(
                $"{caller}: expected input [batch, {channels}, height, width] for weight {ShapeMath.Format(weight.Dims)}, got {ShapeMath.Format(input.Dims)}.",
                nameof(input));
        if (bias is not null)
        {
            input.RequireSameDType(caller, bias);
            if (bias.Rank != 1 || bias.Dims[0] != outChannels)
                throw new ArgumentException(
                    $"{caller}: bias of shape {ShapeMath.Format(bias.Dims)} does not fit weight {ShapeMath.Format(weight.Dims)}: expected [{outChannels}].",
                    nameof(bias));
        }

        var g = WindowGeometry(caller, input.Dims, (weight.Dims[2], weight.Dims[3]), stride, padding, dilation);
        int batch = input.Dims[0];
        var result = Uninitialized(input.DType, [batch, outChannels, g.OutputHeight, g.OutputWidth]);
        if (input.DType == DType.Float32) Conv2dForward<float>(input, weight, bias, g, result);
        else Conv2dForward<double>(input, weight, bias, g, result);

        Tensor[] inputsOfOp = bias is null ? [input, weight] : [input, weight, bias];
        return Record(result, "Conv2d", inputsOfOp, gradient =>
        {
            if (input.DType == DType.Float32) Conv2dBackward<float>(input, weight, bias, g, gradient);
            else Conv2dBackward<double>(input, weight, bias, g, gradient);
        });
    }

    private static void Conv2dForward<T>(Tensor input, Tensor weight, Tensor? bias, ConvGeometry g, Tensor result)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Convolution2dKernels.Forward(
            input.Segment<T>(), input.Dims[0], input.Dims[1], weight.Span<T>(), weight.Dims[0], bias is null ? default : bias.Span<T>(), g, result.Segment<T>());

    private static void Conv2dBackward<T>(Tensor input, Tensor weight, Tensor? bias, ConvGeometry g, Tensor gradient)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int batch = input.Dims[0], channels = input.Dims[1], outChannels = weight.Dims[0];
        var outputGradient = gradient.Segment<T>();
        if (input.RequiresGrad)
        {
            var inputGradient = Uninitialized(input.DType, input.Dims);
            Convolution2dKernels.BackwardInput(outputGradient, batch, channels, weight.Span<T>(), outChannels, g, inputGradient.Segment<T>());
            input.AccumulateGradient(inputGradient);
        }

        if (weight.RequiresGrad)
        {
            var weightGradient = Uninitialized(weight.DType, weight.Dims);
            Convolution2dKernels.BackwardWeight(outputGradient, input.Segment<T>(), batch, channels, outChannels, g, weightGradient.Segment<T>());
            weight.AccumulateGradient(weightGradient);
        }

        if (bias is not null && bias.RequiresGrad)
        {
            var biasGradient = Uninitialized(bias.DType, bias.Dims);
            Convolution2dKernels.BackwardBias(gradient.Span<T>(), batch, outChannels, g.OutputPlaneSize, biasGradient.Span<T>());
            bias.AccumulateGradient(biasGradient);
        }
    }
}
