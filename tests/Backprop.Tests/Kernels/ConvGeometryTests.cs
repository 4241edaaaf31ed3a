using Backprop.Kernels;

namespace Backprop.Tests.Kernels;

public class ConvGeometryTests
{
    [Theory]
    // Every expected size is PyTorch's formula floor((H + 2p − d(k − 1) − 1) / s) + 1 worked by hand;
    // 28→24 is LeNet-5's first convolution, 224→112 and 112→56 are ResNet's stem convolution and max-pool.
    [InlineData(28, 5, 1, 0, 1, 24)]
    [InlineData(224, 7, 2, 3, 1, 112)]
    [InlineData(112, 3, 2, 1, 1, 56)]
    [InlineData(7, 3, 1, 0, 2, 3)]
    [InlineData(5, 5, 1, 0, 1, 1)]
    [InlineData(6, 3, 2, 0, 1, 2)]
    [InlineData(1, 3, 1, 1, 1, 1)]
    public void Create_SquareGeometry_GivesPyTorchOutputSize(int input, int kernel, int stride, int pad, int dilation, int expected)
    {
        var g = ConvGeometry.Create(input, input, kernel, kernel, stride, stride, pad, pad, dilation, dilation);

        Assert.Equal(expected, g.OutputHeight);
        Assert.Equal(expected, g.OutputWidth);
        Assert.Equal(expected * expected, g.OutputPlaneSize);
        Assert.Equal(input * input, g.InputPlaneSize);
    }

    [Fact]
    public void Create_NonSquareGeometry_ComputesHeightAndWidthIndependently()
    {
        var g = ConvGeometry.Create(5, 7, 3, 2, strideH: 2, strideW: 1, padH: 1, padW: 0, dilationH: 1, dilationW: 2);

        // PyTorch's formula by hand: height (5 + 2 − 2 − 1) / 2 + 1 = 3, width (7 + 0 − 2 − 1) / 1 + 1 = 5.
        Assert.Equal((3, 5), (g.OutputHeight, g.OutputWidth));
        Assert.Equal((5, 7, 3, 2, 2, 1, 1, 0, 1, 2), (g.InputHeight, g.InputWidth, g.KernelHeight, g.KernelWidth,
            g.StrideH, g.StrideW, g.PadH, g.PadW, g.DilationH, g.DilationW));
    }

    [Fact]
    public void Create_KernelLargerThanPaddedInput_ThrowsNamingEveryValue()
    {
        var error = Assert.Throws<ArgumentException>(() => ConvGeometry.Create(3, 4, 6, 2, 1, 1, 1, 0, 1, 1));

        Assert.Contains("input 3x4", error.Message);
        Assert.Contains("kernel 6x2", error.Message);
        Assert.Contains("stride 1x1", error.Message);
        Assert.Contains("padding 1x0", error.Message);
        Assert.Contains("dilation 1x1", error.Message);
        Assert.Contains("padded input (5x4)", error.Message);
    }

    [Fact]
    public void Create_DilationStretchingKernelPastInput_Throws()
    {
        // 3 taps 3 apart span 7 rows, more than the 5 rows of input.
        var error = Assert.Throws<ArgumentException>(() => ConvGeometry.Create(5, 5, 3, 3, dilationH: 3));

        Assert.Contains("(7x3)", error.Message);
    }

    [Theory]
    [InlineData(0, 1, 0, 1, "strideH")]
    [InlineData(1, 0, 0, 1, "strideW")]
    [InlineData(1, 1, -1, 1, "padH")]
    [InlineData(1, 1, 0, 0, "dilationH")]
    public void Create_OutOfRangeValue_ThrowsNamingParameterAndValue(int strideH, int strideW, int padH, int dilationH, string parameter)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(
            () => ConvGeometry.Create(8, 8, 3, 3, strideH, strideW, padH, 0, dilationH, 1));

        Assert.Equal(parameter, error.ParamName);
        Assert.Contains($"stride {strideH}x{strideW}", error.Message);
        Assert.Contains($"padding {padH}x0", error.Message);
        Assert.Contains($"dilation {dilationH}x1", error.Message);
    }

    [Theory]
    [InlineData(0, 5, 3, 3)]
    [InlineData(5, 0, 3, 3)]
    [InlineData(5, 5, 0, 3)]
    [InlineData(5, 5, 3, -2)]
    public void Create_NonPositiveSize_Throws(int inputHeight, int inputWidth, int kernelHeight, int kernelWidth)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(
            () => ConvGeometry.Create(inputHeight, inputWidth, kernelHeight, kernelWidth));

        Assert.Contains($"kernel {kernelHeight}x{kernelWidth}", error.Message);
    }

    [Fact]
    public void Create_PaddingBeyondIntRange_ThrowsInsteadOfOverflowing()
    {
        Assert.Throws<ArgumentException>(() => ConvGeometry.Create(4, 4, 3, 3, padH: int.MaxValue / 2 + 1));
    }

    [Theory]
    // Worked by hand: positions offset + n·step for n in [0, count), kept where inside [0, size).
    [InlineData(-2, 1, 5, 4, 2, 5)]  // −2, −1, 0, 1, 2 → n = 2..4
    [InlineData(-3, 2, 5, 4, 2, 4)]  // −3, −1, 1, 3, 5 → n = 2, 3
    [InlineData(1, 2, 5, 6, 0, 3)]   // 1, 3, 5, 7, 9 → n = 0..2
    [InlineData(-9, 2, 3, 4, 3, 3)]  // −9, −7, −5 → none
    [InlineData(7, 1, 3, 4, 0, 0)]   // 7, 8, 9 → none
    public void Inside_ReturnsIndicesLandingInRange(int offset, int step, int count, int size, int start, int end)
    {
        Assert.Equal((start, end), ConvGeometry.Inside(offset, step, count, size));
    }
}
