using System.Numerics.Tensors;
using System.Numerics;
using Backprop.Kernels;
using Backprop.Tensors;

namespace Backprop;

public sealed partial class Tensor
{
    /// <summary>
    /// 2-D max pooling of <c>[N, C, H, W]</c> with a square window (PyTorch's <c>F.max_pool2d</c>,
    /// <c>ceil_mode=False</c>): <c>y[n, c, i, j] = max over the window at (i·s − p, j·s − p)</c>, padding
    /// never chosen. The output is <c>[N, C, OH, OW]</c>, <c>OH = ⌊(H + 2p − d(k − 1) − 1) / s⌋ + 1</c>.
    /// Backward: each output gradient goes to the position that won its window (the first of equal
    /// maxima; a NaN wins), and adds where overlapping windows (s &lt; k) chose the same input.
    /// </summary>
    /// <param name="input"><c>[N, C, H, W]</c>.</param>
    /// <param name="kernelSize">Window height and width k.</param>
    /// <param name="stride">Step s between windows; null means <paramref name="kernelSize"/> (no overlap).</param>
    /// <param name="padding">p, at most k / 2 (PyTorch's rule).</param>
    /// <param name="dilation">Distance d between window taps.</param>
    /// <exception cref="ArgumentOutOfRangeException">A size, stride or dilation is below 1, or the padding is negative or above k / 2.</exception>
    /// <exception cref="ArgumentException">The input is not 4-D, or the window is larger than the padded input.</exception>
    /// <example><c>Tensor.MaxPool2d(x, 2)</c> halves a [64, 8, 28, 28] batch to [64, 8, 14, 14].</example>
    public static Tensor MaxPool2d(Tensor input, int kernelSize, int? stride = null, int padding = 0, int dilation = 1) =>
        MaxPool2d(input, (kernelSize, kernelSize), stride is int s ? (s, s) : null, (padding, padding), (dilation, dilation), "MaxPool2d");

    /// <summary>Max pooling with a (height, width) window, stride (null: the window), padding and dilation; as the square overload.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A size, stride or dilation is below 1, or a padding is negative or above half the window.</exception>
    /// <exception cref="ArgumentException">The input is not 4-D, or the window is larger than the padded input.</exception>
    public static Tensor MaxPool2d(
        Tensor input, (int Height, int Width) kernelSize, (int Height, int Width)? stride,
        (int Height, int Width) padding, (int Height, int Width) dilation) =>
        MaxPool2d(input, kernelSize, stride, padding, dilation, "MaxPool2d");

    /// <summary>Max pooling with errors that begin with <paramref name="caller"/> (a layer's description).</summary>
    internal static Tensor MaxPool2d(
        Tensor input, (int Height, int Width) kernelSize, (int Height, int Width)? stride,
        (int Height, int Width) padding, (int Height, int Width) dilation, string caller) =>
        MaxPool2d(input, kernelSize, stride, padding, dilation, caller, ofRelu: false);

    /// <summary>
    /// <c>MaxPool2d(Relu(input))</c> in one operation, bit for bit: ReLU is monotone, so it commutes with the maximum
    /// (<c>max(0, max S) = max over S of max(0, x)</c>), and the gradient reaches a window's winner exactly when the
    /// pooled value is positive. Pooling first touches a quarter of the values a separate ReLU would (for 2×2 windows),
    /// and no full-size ReLU gradient is made.
    /// </summary>
    internal static Tensor ReluMaxPool2d(
        Tensor input, (int Height, int Width) kernelSize, (int Height, int Width)? stride,
        (int Height, int Width) padding, (int Height, int Width) dilation, string caller) =>
        MaxPool2d(input, kernelSize, stride, padding, dilation, caller, ofRelu: true);

    private static Tensor MaxPool2d(
        Tensor input, (int Height, int Width) kernelSize, (int Height, int Width)? stride,
        (int Height, int Width) padding, (int Height, int Width) dilation, string caller, bool ofRelu)
    {
        var g = PoolingGeometry(caller, input, kernelSize, stride, padding, dilation);
        int planes = input.Dims[0] * input.Dims[1];
        // Every output (and its arg-max) is written, so neither needs clearing; in training both come from the step's arena.
        var result = Uninitialized(input.DType, [input.Dims[0], input.Dims[1], g.OutputHeight, g.OutputWidth]);
        var argMax = StepArena.Open?.RentIndices(result.Length) ?? new int[result.Length];
        if (input.DType == DType.Float32) MaxPoolForward<float>(input, planes, g, result, argMax, ofRelu);
        else MaxPoolForward<double>(input, planes, g, result, argMax, ofRelu);

        return Record(result, ofRelu ? "ReluMaxPool2d" : "MaxPool2d", [input], gradient =>
        {
            var inputGradient = Uninitialized(input.DType, input.Dims);
            if (input.DType == DType.Float32)
                Pooling.MaxPoolBackward<float>(gradient.Span<float>(), argMax, ofRelu ? result.Span<float>() : [], planes, g, inputGradient.Span<float>());
            else
                Pooling.MaxPoolBackward<double>(gradient.Span<double>(), argMax, ofRelu ? result.Span<double>() : [], planes, g, inputGradient.Span<double>());
            input.AccumulateGradient(inputGradient);
        });
    }

    private static void MaxPoolForward<T>(Tensor input, int planes, ConvGeometry g, Tensor result, int[] argMax, bool ofRelu)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Pooling.MaxPoolForward<T>(input.Span<T>(), planes, g, result.Span<T>(), argMax);
        // The same call as Relu's forward, so the values are the unfused ones, NaN and signed zeros included.
        if (ofRelu) TensorPrimitives.Max(result.Span<T>(), T.Zero, result.Span<T>());
    }

    /// <summary>
    /// 2-D average pooling of <c>[N, C, H, W]</c> with a square window (PyTorch's <c>F.avg_pool2d</c>,
    /// <c>ceil_mode=False</c>): <c>y[n, c, i, j]</c> = sum of the window ÷ k² with
    /// <paramref name="countIncludePad"/> (padding counts as zeros), else ÷ the number of taps inside
    /// the input. Output shape as <see cref="MaxPool2d(Tensor, int, int?, int, int)"/>. Backward: each
    /// output gradient ÷ its divisor is added to every tap of its window, so overlapping windows add.
    /// </summary>
    /// <param name="input"><c>[N, C, H, W]</c>.</param>
    /// <param name="kernelSize">Window height and width k.</param>
    /// <param name="stride">Step s between windows; null means <paramref name="kernelSize"/> (no overlap).</param>
    /// <param name="padding">p, at most k / 2 (PyTorch's rule).</param>
    /// <param name="countIncludePad">Whether padding zeros count in the divisor (PyTorch's default).</param>
    /// <exception cref="ArgumentOutOfRangeException">A size or stride is below 1, or the padding is negative or above k / 2.</exception>
    /// <exception cref="ArgumentException">The input is not 4-D, or the window is larger than the padded input.</exception>
    /// <example><c>Tensor.AvgPool2d(x, 3, stride: 1, padding: 1)</c> keeps the height and width of x.</example>
    public static Tensor AvgPool2d(Tensor input, int kernelSize, int? stride = null, int padding = 0, bool countIncludePad = true) =>
        AvgPool2d(input, (kernelSize, kernelSize), stride is int s ? (s, s) : null, (padding, padding), countIncludePad, "AvgPool2d");

    /// <summary>Average pooling with a (height, width) window, stride (null: the window) and padding; as the square overload.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A size or stride is below 1, or a padding is negative or above half the window.</exception>
    /// <exception cref="ArgumentException">The input is not 4-D, or the window is larger than the padded input.</exception>
    public static Tensor AvgPool2d(
        Tensor input, (int Height, int Width) kernelSize, (int Height, int Width)? stride, (int Height, int Width) padding, bool countIncludePad = true) =>
        AvgPool2d(input, kernelSize, stride, padding, countIncludePad, "AvgPool2d");

    /// <summary>Average pooling with errors that begin with <paramref name="caller"/> (a layer's description).</summary>
    internal static Tensor AvgPool2d(
        Tensor input, (int Height, int Width) kernelSize, (int Height, int Width)? stride, (int Height, int Width) padding,
        bool countIncludePad, string caller)
    {
        var g = PoolingGeometry(caller, input, kernelSize, stride, padding, (1, 1));
        int planes = input.Dims[0] * input.Dims[1];
        var result = Zeroed(input.DType, [input.Dims[0], input.Dims[1], g.OutputHeight, g.OutputWidth]);
        if (input.DType == DType.Float32) Pooling.AvgPoolForward<float>(input.Span<float>(), planes, g, result.Span<float>(), countIncludePad);
        else Pooling.AvgPoolForward<double>(input.Span<double>(), planes, g, result.Span<double>(), countIncludePad);

        return Record(result, "AvgPool2d", [input], gradient =>
        {
            var inputGradient = Zeroed(input.DType, input.Dims);
            if (input.DType == DType.Float32) Pooling.AvgPoolBackward<float>(gradient.Span<float>(), planes, g, inputGradient.Span<float>(), countIncludePad);
            else Pooling.AvgPoolBackward<double>(gradient.Span<double>(), planes, g, inputGradient.Span<double>(), countIncludePad);
            input.AccumulateGradient(inputGradient);
        });
    }

    /// <summary>
    /// Global average pooling: <c>[N, C, H, W] → [N, C]</c>, <c>y[n, c] = mean over (i, j) of x[n, c, i, j]</c>
    /// (PyTorch's <c>AdaptiveAvgPool2d(1)</c> followed by flattening). Backward spreads <c>g[n, c] / (H·W)</c>
    /// over the plane.
    /// </summary>
    /// <exception cref="ArgumentException">The input is not 4-D or has an empty axis.</exception>
    public static Tensor GlobalAvgPool2d(Tensor input) => GlobalAvgPool2d(input, "GlobalAvgPool2d");

    /// <summary>Global average pooling with errors that begin with <paramref name="caller"/>.</summary>
    internal static Tensor GlobalAvgPool2d(Tensor input, string caller)
    {
        RequireImageBatch(caller, input);
        int planes = input.Dims[0] * input.Dims[1], planeSize = input.Dims[2] * input.Dims[3];
        var result = Zeroed(input.DType, [input.Dims[0], input.Dims[1]]);
        if (input.DType == DType.Float32) Pooling.GlobalAvgPoolForward<float>(input.Span<float>(), planes, planeSize, result.Span<float>());
        else Pooling.GlobalAvgPoolForward<double>(input.Span<double>(), planes, planeSize, result.Span<double>());

        return Record(result, "GlobalAvgPool2d", [input], gradient =>
        {
            var inputGradient = Zeroed(input.DType, input.Dims);
            if (input.DType == DType.Float32) Pooling.GlobalAvgPoolBackward<float>(gradient.Span<float>(), planes, planeSize, inputGradient.Span<float>());
            else Pooling.GlobalAvgPoolBackward<double>(gradient.Span<double>(), planes, planeSize, inputGradient.Span<double>());
            input.AccumulateGradient(inputGradient);
        });
    }

    private static ConvGeometry PoolingGeometry(
        string caller, Tensor input, (int Height, int Width) kernelSize, (int Height, int Width)? stride,
        (int Height, int Width) padding, (int Height, int Width) dilation)
    {
        RequireImageBatch(caller, input);
        if (padding.Height > kernelSize.Height / 2 || padding.Width > kernelSize.Width / 2)
            throw new ArgumentOutOfRangeException(
                nameof(padding), padding,
                $"{caller}: padding {padding.Height}x{padding.Width} must be at most half the kernel {kernelSize.Height}x{kernelSize.Width} (PyTorch's rule).");
        return WindowGeometry(caller, input.Dims, kernelSize, stride ?? kernelSize, padding, dilation);
    }

    private static void RequireImageBatch(string caller, Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Rank != 4)
            throw new ArgumentException($"{caller}: expected input [batch, channels, height, width], got {ShapeMath.Format(input.Dims)}.", nameof(input));
        if (input.Length == 0)
            throw new ArgumentException($"{caller}: the input {ShapeMath.Format(input.Dims)} is empty.", nameof(input));
    }
}
