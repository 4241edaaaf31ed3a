using Backprop.Autograd;

namespace Backprop.Tests.Ops;

/// <summary>Tensor.Conv2d: gradients against finite differences, values against a direct convolution, determinism.</summary>
[Collection("Threads")]
public class ConvolutionOpTests
{
    /// <summary>A convolution case: batch, in → out channels, input H×W, kernel kh×kw, stride, padding, dilation (height, width), bias.</summary>
    public sealed record ConvCase(
        int Batch, int InChannels, int OutChannels, int Height, int Width, (int H, int W) Kernel,
        (int H, int W) Stride, (int H, int W) Padding, (int H, int W) Dilation, bool Bias)
    {
        public override string ToString() =>
            $"{Batch}x{InChannels}x{Height}x{Width} → {OutChannels}, k{Kernel} s{Stride} p{Padding} d{Dilation}{(Bias ? "" : " no bias")}";
    }

    /// <summary>Small enough that five-point finite differences over every element take milliseconds.</summary>
    public static TheoryData<ConvCase> Cases => new()
    {
        new(2, 1, 1, 5, 5, (3, 3), (1, 1), (0, 0), (1, 1), true),
        new(2, 1, 1, 5, 5, (3, 3), (1, 1), (1, 1), (1, 1), false),
        new(2, 2, 3, 5, 6, (3, 3), (2, 2), (1, 1), (1, 1), true),
        new(1, 2, 3, 6, 5, (3, 3), (2, 2), (0, 0), (1, 1), false),
        new(2, 3, 2, 6, 6, (3, 3), (1, 1), (0, 0), (2, 2), true),
        new(1, 3, 2, 5, 5, (2, 2), (1, 1), (1, 1), (2, 2), false),
        new(2, 2, 3, 4, 5, (1, 1), (1, 1), (0, 0), (1, 1), true),
        new(1, 2, 2, 5, 7, (2, 3), (2, 1), (1, 0), (1, 2), true),
        // Stride 1, output channels in fours, rows of at least four doubles: the direct kernels (DirectConvolution).
        new(2, 4, 4, 5, 6, (3, 3), (1, 1), (1, 1), (1, 1), true),
        new(1, 1, 4, 4, 7, (3, 3), (1, 1), (0, 0), (1, 1), false),
        new(2, 2, 8, 3, 5, (2, 2), (1, 1), (1, 1), (1, 1), true),
    };

    private static Tensor Random(int seed, params int[] shape) => Tensor.RandomUniform(shape, seed, -1, 1, DType.Float64);

    private static Tensor[] Operands(ConvCase c, int seed)
    {
        var input = Random(seed, c.Batch, c.InChannels, c.Height, c.Width);
        var weight = Random(seed + 1, c.OutChannels, c.InChannels, c.Kernel.H, c.Kernel.W);
        return c.Bias ? [input, weight, Random(seed + 2, c.OutChannels)] : [input, weight];
    }

    private static Tensor Convolve(ConvCase c, Tensor[] x) =>
        Tensor.Conv2d(x[0], x[1], c.Bias ? x[2] : null, c.Stride, c.Padding, c.Dilation);

    [Theory]
    [MemberData(nameof(Cases))]
    public void Backward_OfConv2d_MatchesFiniteDifferences(ConvCase c)
    {
        var result = GradCheck.Run(x => Convolve(c, x), Operands(c, 10));

        Assert.True(result.Passed(1e-6), $"max relative error {result.MaxRelativeError:E2} at {result.WorstElement}");
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Forward_OfConv2d_EqualsDirectConvolution(ConvCase c)
    {
        var x = Operands(c, 20);

        var actual = Convolve(c, x);

        var (expected, shape) = DirectConvolution(c, x[0], x[1], c.Bias ? x[2] : null);
        Assert.Equal(shape, actual.Shape);
        Assert.Equal(expected, actual.ToDoubleArray(), new WorkedExamples.Tolerance(1e-12));
    }

    [Fact]
    public void Conv2d_SquareOverload_EqualsTheHeightWidthOverload()
    {
        var c = new ConvCase(2, 2, 3, 7, 7, (3, 3), (2, 2), (1, 1), (2, 2), true);
        var x = Operands(c, 30);

        var square = Tensor.Conv2d(x[0], x[1], x[2], stride: 2, padding: 1, dilation: 2);

        Assert.Equal(Convolve(c, x).ToDoubleArray(), square.ToDoubleArray());
    }

    /// <summary>
    /// Eight samples of 3×22×22 with a 3×3 kernel unfold to 8·27·400 = 86 400 column entries, above the
    /// kernels' parallel threshold, so the batch runs over the cores; each sample alone runs serially.
    /// The batched results must equal the per-sample ones bit for bit (weight and bias gradients summed
    /// in sample order), whatever the number of cores.
    /// </summary>
    [Fact]
    public void Conv2d_ForwardAndBackward_AreBitIdenticalForOneAndTwoThreads()
    {
        const int batch = 8, channels = 3, outChannels = 4, size = 22;
        (float[] Output, float[] InputGrad, float[] WeightGrad, float[] BiasGrad) Run(int threads) => ThreadCount.With(threads, () =>
        {
            var input = Tensor.RandomUniform([batch, channels, size, size], 40, -1, 1).RequireGrad();
            var weight = Tensor.RandomUniform([outChannels, channels, 3, 3], 41, -1, 1).RequireGrad();
            var bias = Tensor.RandomUniform([outChannels], 42, -1, 1).RequireGrad();
            var output = Tensor.Conv2d(input, weight, bias);
            output.Backward(Tensor.RandomUniform([batch, outChannels, size - 2, size - 2], 43, -1, 1));
            return (output.ToFloatArray(), input.Grad!.ToFloatArray(), weight.Grad!.ToFloatArray(), bias.Grad!.ToFloatArray());
        });

        var one = Run(1);
        var two = Run(2);
        Assert.Equal(one.Output, two.Output);
        Assert.Equal(one.InputGrad, two.InputGrad);
        Assert.Equal(one.WeightGrad, two.WeightGrad);
        Assert.Equal(one.BiasGrad, two.BiasGrad);
    }

    [Fact]
    public void Conv2d_WithMismatchedOperands_NamesTheShapes()
    {
        var input = Tensor.Zeros(2, 3, 5, 5);

        var channels = Assert.Throws<ArgumentException>(() => Tensor.Conv2d(input, Tensor.Zeros(4, 2, 3, 3)));
        var bias = Assert.Throws<ArgumentException>(() => Tensor.Conv2d(input, Tensor.Zeros(4, 3, 3, 3), Tensor.Zeros(3)));
        var tooLarge = Assert.Throws<ArgumentException>(() => Tensor.Conv2d(input, Tensor.Zeros(4, 3, 3, 3), dilation: 3));

        Assert.Contains("[2, 3, 5, 5]", channels.Message);
        Assert.Contains("[batch, 2, height, width]", channels.Message);
        Assert.Contains("expected [4]", bias.Message);
        Assert.Contains("spans 7x7", tooLarge.Message);
        Assert.Contains("padded input 5x5", tooLarge.Message);
    }

    [Fact]
    public void Conv2d_WithANonPositiveStride_QuotesIt()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => Tensor.Conv2d(Tensor.Zeros(1, 1, 4, 4), Tensor.Zeros(1, 1, 2, 2), stride: 0));

        Assert.Contains("stride must be at least 1", error.Message);
        Assert.Contains("0x0", error.Message);
    }

    /// <summary>The definition, written out as seven nested loops over float64.</summary>
    private static (double[] Values, int[] Shape) DirectConvolution(ConvCase c, Tensor input, Tensor weight, Tensor? bias)
    {
        int outHeight = (c.Height + 2 * c.Padding.H - c.Dilation.H * (c.Kernel.H - 1) - 1) / c.Stride.H + 1;
        int outWidth = (c.Width + 2 * c.Padding.W - c.Dilation.W * (c.Kernel.W - 1) - 1) / c.Stride.W + 1;
        var values = new double[c.Batch * c.OutChannels * outHeight * outWidth];
        int index = 0;
        for (int n = 0; n < c.Batch; n++)
            for (int o = 0; o < c.OutChannels; o++)
                for (int i = 0; i < outHeight; i++)
                    for (int j = 0; j < outWidth; j++)
                    {
                        double sum = bias is null ? 0 : bias[o];
                        for (int ch = 0; ch < c.InChannels; ch++)
                            for (int u = 0; u < c.Kernel.H; u++)
                                for (int v = 0; v < c.Kernel.W; v++)
                                {
                                    int row = i * c.Stride.H - c.Padding.H + u * c.Dilation.H;
                                    int column = j * c.Stride.W - c.Padding.W + v * c.Dilation.W;
                                    if (row >= 0 && row < c.Height && column >= 0 && column < c.Width)
                                        sum += weight[o, ch, u, v] * input[n, ch, row, column];
                                }
                        values[index++] = sum;
                    }
        return (values, [c.Batch, c.OutChannels, outHeight, outWidth]);
    }
}
