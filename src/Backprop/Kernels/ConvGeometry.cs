namespace Backprop.Kernels;

/// <summary>
/// The window geometry of one 2-D convolution or pooling over an input plane: sizes, strides,
/// zero padding and dilation, with the output size PyTorch gives
/// (<c>floor((H + 2p − d(k − 1) − 1) / s) + 1</c>, <c>ceil_mode=False</c>).
/// Build it with <see cref="Create"/>, which rejects geometries with no output.
/// </summary>
/// <example><c>ConvGeometry.Create(28, 28, 3, 3, padH: 1, padW: 1)</c> keeps a 28×28 plane at 28×28.</example>
internal readonly record struct ConvGeometry
{
    private ConvGeometry(
        int inputHeight, int inputWidth, int kernelHeight, int kernelWidth,
        int strideH, int strideW, int padH, int padW, int dilationH, int dilationW,
        int outputHeight, int outputWidth)
    {
        InputHeight = inputHeight;
        InputWidth = inputWidth;
        KernelHeight = kernelHeight;
        KernelWidth = kernelWidth;
        StrideH = strideH;
        StrideW = strideW;
        PadH = padH;
        PadW = padW;
        DilationH = dilationH;
        DilationW = dilationW;
        OutputHeight = outputHeight;
        OutputWidth = outputWidth;
    }

    /// <summary>Rows of the input plane.</summary>
    public int InputHeight { get; }

    /// <summary>Columns of the input plane.</summary>
    public int InputWidth { get; }

    /// <summary>Rows of the window, before dilation.</summary>
    public int KernelHeight { get; }

    /// <summary>Columns of the window, before dilation.</summary>
    public int KernelWidth { get; }

    /// <summary>Rows the window moves between consecutive output rows.</summary>
    public int StrideH { get; }

    /// <summary>Columns the window moves between consecutive output columns.</summary>
    public int StrideW { get; }

    /// <summary>Padding rows added above and below the input.</summary>
    public int PadH { get; }

    /// <summary>Padding columns added left and right of the input.</summary>
    public int PadW { get; }

    /// <summary>Row distance between consecutive window taps (1 = adjacent).</summary>
    public int DilationH { get; }

    /// <summary>Column distance between consecutive window taps (1 = adjacent).</summary>
    public int DilationW { get; }

    /// <summary>Rows of the output plane.</summary>
    public int OutputHeight { get; }

    /// <summary>Columns of the output plane.</summary>
    public int OutputWidth { get; }

    /// <summary>Elements in one input plane, <c>H·W</c>.</summary>
    public int InputPlaneSize => InputHeight * InputWidth;

    /// <summary>Elements in one output plane, <c>OH·OW</c>.</summary>
    public int OutputPlaneSize => OutputHeight * OutputWidth;

    /// <summary>Validates the values and computes the output size.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A size, stride or dilation is below 1, or a padding is negative.</exception>
    /// <exception cref="ArgumentException">The dilated kernel is larger than the padded input, so the output would be empty.</exception>
    public static ConvGeometry Create(
        int inputHeight, int inputWidth, int kernelHeight, int kernelWidth,
        int strideH = 1, int strideW = 1, int padH = 0, int padW = 0, int dilationH = 1, int dilationW = 1)
    {
        string Describe() =>
            $"input {inputHeight}x{inputWidth}, kernel {kernelHeight}x{kernelWidth}, stride {strideH}x{strideW}, " +
            $"padding {padH}x{padW}, dilation {dilationH}x{dilationW} (height x width)";

        void RequireAtLeast(int value, int minimum, string name)
        {
            if (value < minimum)
            {
                throw new ArgumentOutOfRangeException(
                    name, value, $"{name} must be at least {minimum} but was {value}; geometry: {Describe()}.");
            }
        }

        RequireAtLeast(inputHeight, 1, nameof(inputHeight));
        RequireAtLeast(inputWidth, 1, nameof(inputWidth));
        RequireAtLeast(kernelHeight, 1, nameof(kernelHeight));
        RequireAtLeast(kernelWidth, 1, nameof(kernelWidth));
        RequireAtLeast(strideH, 1, nameof(strideH));
        RequireAtLeast(strideW, 1, nameof(strideW));
        RequireAtLeast(padH, 0, nameof(padH));
        RequireAtLeast(padW, 0, nameof(padW));
        RequireAtLeast(dilationH, 1, nameof(dilationH));
        RequireAtLeast(dilationW, 1, nameof(dilationW));

        // long: dilation·(kernel − 1) and input + 2·pad can pass int.MaxValue for absurd but positive values.
        long paddedHeight = inputHeight + 2L * padH, paddedWidth = inputWidth + 2L * padW;
        long extentHeight = (long)dilationH * (kernelHeight - 1) + 1, extentWidth = (long)dilationW * (kernelWidth - 1) + 1;
        if (extentHeight > paddedHeight || extentWidth > paddedWidth)
        {
            throw new ArgumentException(
                $"The dilated kernel ({extentHeight}x{extentWidth}) is larger than the padded input " +
                $"({paddedHeight}x{paddedWidth}), so the output would be empty; geometry: {Describe()}.");
        }

        long outputHeight = (paddedHeight - extentHeight) / strideH + 1;
        long outputWidth = (paddedWidth - extentWidth) / strideW + 1;
        // Kernels index planes with int, so every position they compute must fit in one.
        if (outputHeight * outputWidth > int.MaxValue || (long)inputHeight * inputWidth > int.MaxValue
            || paddedHeight > int.MaxValue || paddedWidth > int.MaxValue)
        {
            throw new ArgumentException(
                $"The padded input ({paddedHeight}x{paddedWidth}), an input plane ({inputHeight}x{inputWidth}) or an " +
                $"output plane ({outputHeight}x{outputWidth}) exceeds {int.MaxValue} positions; geometry: {Describe()}.");
        }

        return new ConvGeometry(
            inputHeight, inputWidth, kernelHeight, kernelWidth, strideH, strideW, padH, padW, dilationH, dilationW,
            (int)outputHeight, (int)outputWidth);
    }

    /// <summary>
    /// The indices <c>n</c> in <c>[0, count)</c> whose position <c>offset + n·step</c> falls inside
    /// <c>[0, size)</c>, as a half-open range (empty when <c>Start == End</c>).
    /// </summary>
    /// <remarks>
    /// Both kernels need this one question: which outputs of a kernel tap read real input
    /// (step = stride), and which taps of a window lie inside the input (step = dilation).
    /// Answering it once per row lets the inner loops run without a bounds test per element.
    /// </remarks>
    internal static (int Start, int End) Inside(int offset, int step, int count, int size)
    {
        int start = offset >= 0 ? 0 : CeilingDivide(-offset, step);
        int end = size - offset <= 0 ? 0 : Math.Min(count, CeilingDivide(size - offset, step));
        start = Math.Min(start, count);
        return (start, Math.Max(start, end));
    }

    private static int CeilingDivide(int numerator, int denominator) =>
        (int)(((long)numerator + denominator - 1) / denominator);
}
