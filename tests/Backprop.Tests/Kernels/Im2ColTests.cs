using Backprop.Kernels;

namespace Backprop.Tests.Kernels;

public class Im2ColTests
{
    public static TheoryData<WindowCase> Geometries => new()
    {
        new(1, 5, 5, 3, 3, 1, 1, 0, 0, 1, 1),
        new(3, 7, 5, 3, 3, 1, 1, 1, 1, 1, 1),
        new(1, 9, 7, 3, 2, 2, 2, 1, 0, 1, 1),
        new(3, 8, 9, 2, 3, 2, 1, 2, 1, 1, 1),
        new(3, 9, 11, 3, 3, 1, 1, 2, 2, 2, 2),
        new(1, 10, 7, 2, 3, 2, 2, 1, 2, 2, 1),
        new(3, 5, 6, 5, 1, 1, 2, 2, 0, 1, 1),
        new(1, 3, 3, 3, 3, 2, 2, 1, 1, 2, 2),
        new(1, 1, 1, 1, 1, 1, 1, 0, 0, 1, 1),
        new(3, 6, 4, 1, 1, 2, 2, 0, 0, 1, 1),
    };

    [Fact]
    public void Im2Col_ThreeByThreeImage_ListsEachTapsValuesAsTheWindowSlides()
    {
        double[] image = [1, 2, 3, 4, 5, 6, 7, 8, 9];
        var g = ConvGeometry.Create(3, 3, 2, 2);
        var columns = new double[4 * 4];

        Im2ColKernels.Im2Col<double>(image, 1, g, columns);

        // Worked by hand: row (i, j) holds image[oh + i, ow + j] for the 2×2 outputs in row-major order.
        double[] expected = [1, 2, 4, 5, 2, 3, 5, 6, 4, 5, 7, 8, 5, 6, 8, 9];
        Assert.Equal(expected, columns);
    }

    [Fact]
    public void Im2Col_PaddedImage_FillsPaddingWithZeros()
    {
        double[] image = [1, 2, 3, 4];
        var g = ConvGeometry.Create(2, 2, 3, 3, padH: 1, padW: 1);
        var columns = Enumerable.Repeat(double.NaN, 9 * 4).ToArray();

        Im2ColKernels.Im2Col<double>(image, 1, g, columns);

        // Worked by hand: tap (0, 0) reads (oh − 1, ow − 1), inside only for output (1, 1); the centre tap reads the image.
        Assert.Equal([0, 0, 0, 1], columns[..4]);
        Assert.Equal([1, 2, 3, 4], columns[16..20]);
        Assert.Equal([4, 0, 0, 0], columns[32..36]);
    }

    [Theory]
    [MemberData(nameof(Geometries))]
    public void Im2ColTimesWeights_EqualsDirectConvolution(WindowCase c)
    {
        const int Batch = 2, OutChannels = 4;
        var (channels, h, w, kh, kw) = (c.Channels, c.H, c.W, c.KernelH, c.KernelW);
        var g = c.Geometry();
        var random = new Random(h * 31 + w);
        double[] input = RandomArray(random, Batch * channels * h * w);
        double[] weight = RandomArray(random, OutChannels * channels * kh * kw);
        int patch = channels * kh * kw, outputs = g.OutputPlaneSize;
        var columns = new double[patch * outputs];
        // Reference: the definition of cross-correlation (PyTorch's Conv2d), evaluated term by term.
        double[] direct = NaiveConvolution(input, weight, Batch, channels, OutChannels, g);

        for (int n = 0; n < Batch; n++)
        {
            Im2ColKernels.Im2Col<double>(input.AsSpan(n * channels * h * w, channels * h * w), channels, g, columns);
            double[] viaGemm = NaiveMatMul(weight, columns, OutChannels, patch, outputs);
            for (int k = 0; k < viaGemm.Length; k++)
            {
                Assert.Equal(direct[n * OutChannels * outputs + k], viaGemm[k], 1e-12);
            }
        }
    }

    [Theory]
    [MemberData(nameof(Geometries))]
    public void Col2Im_IsTheAdjointOfIm2Col(WindowCase c)
    {
        var (channels, h, w, kh, kw) = (c.Channels, c.H, c.W, c.KernelH, c.KernelW);
        var g = c.Geometry();
        var random = new Random(h * 37 + w * 3 + kh);
        double[] x = RandomArray(random, channels * h * w);
        double[] y = RandomArray(random, channels * kh * kw * g.OutputPlaneSize);
        var columns = new double[y.Length];
        var folded = new double[x.Length];

        Im2ColKernels.Im2Col<double>(x, channels, g, columns);
        Im2ColKernels.Col2Im<double>(y, channels, g, folded);

        // Reference: <Im2Col(x), y> = <x, Col2Im(y)> defines the adjoint, which is what backpropagation needs.
        double left = Dot(columns, y), right = Dot(x, folded);
        Assert.Equal(left, right, 1e-12 * Math.Max(1, Math.Abs(left)));
    }

    [Theory]
    [MemberData(nameof(Geometries))]
    public void Col2Im_AddsOntoExistingGradientLikeANaiveScatter(WindowCase c)
    {
        var (channels, h, w, kh, kw) = (c.Channels, c.H, c.W, c.KernelH, c.KernelW);
        var g = c.Geometry();
        var random = new Random(h * 41 + w * 5 + kw);
        double[] columns = RandomArray(random, channels * kh * kw * g.OutputPlaneSize);
        double[] gradient = RandomArray(random, channels * h * w);
        double[] expected = (double[])gradient.Clone();
        // Reference: scatter every column entry to the input position its tap reads, skipping padding.
        for (int channel = 0, row = 0; channel < channels; channel++)
        {
            for (int i = 0; i < kh; i++)
            {
                for (int j = 0; j < kw; j++, row++)
                {
                    for (int oh = 0; oh < g.OutputHeight; oh++)
                    {
                        for (int ow = 0; ow < g.OutputWidth; ow++)
                        {
                            int ih = oh * g.StrideH - g.PadH + i * g.DilationH, iw = ow * g.StrideW - g.PadW + j * g.DilationW;
                            if (ih >= 0 && ih < h && iw >= 0 && iw < w)
                            {
                                expected[(channel * h + ih) * w + iw] += columns[row * g.OutputPlaneSize + oh * g.OutputWidth + ow];
                            }
                        }
                    }
                }
            }
        }

        Im2ColKernels.Col2Im<double>(columns, channels, g, gradient);

        for (int k = 0; k < expected.Length; k++)
        {
            Assert.Equal(expected[k], gradient[k], 1e-12);
        }
    }

    [Theory]
    [MemberData(nameof(Geometries))]
    public void Im2Col_Float_CopiesTheSameValuesAsDouble(WindowCase c)
    {
        var (channels, h, w, kh, kw) = (c.Channels, c.H, c.W, c.KernelH, c.KernelW);
        var g = c.Geometry();
        float[] image = RandomArray(new Random(h), channels * h * w).Select(v => (float)v).ToArray();
        var single = new float[channels * kh * kw * g.OutputPlaneSize];
        var wide = new double[single.Length];

        Im2ColKernels.Im2Col<float>(image, channels, g, single);
        Im2ColKernels.Im2Col<double>(image.Select(v => (double)v).ToArray(), channels, g, wide);

        Assert.Equal(wide.Select(v => (float)v), single);
    }

    [Fact]
    public void LargeInput_RunsInParallelAndMatchesChannelByChannelBitForBit()
    {
        const int Channels = 8;
        var g = ConvGeometry.Create(34, 34, 3, 3, padH: 1, padW: 1);
        int plane = g.InputPlaneSize, channelColumns = 9 * g.OutputPlaneSize;
        Assert.True(PlaneParallel.IsWorthIt(Channels, Channels * channelColumns));
        Assert.False(PlaneParallel.IsWorthIt(1, channelColumns));
        var random = new Random(7);
        float[] image = RandomArray(random, Channels * plane).Select(v => (float)v).ToArray();
        float[] upstream = RandomArray(random, Channels * channelColumns).Select(v => (float)v).ToArray();
        var columns = new float[upstream.Length];
        var columnsOneByOne = new float[upstream.Length];
        var gradient = new float[image.Length];
        var gradientOneByOne = new float[image.Length];

        Im2ColKernels.Im2Col<float>(image, Channels, g, columns);
        Im2ColKernels.Col2Im<float>(upstream, Channels, g, gradient);
        for (int c = 0; c < Channels; c++)
        {
            Im2ColKernels.Im2Col<float>(image.AsSpan(c * plane, plane), 1, g, columnsOneByOne.AsSpan(c * channelColumns, channelColumns));
            Im2ColKernels.Col2Im<float>(upstream.AsSpan(c * channelColumns, channelColumns), 1, g, gradientOneByOne.AsSpan(c * plane, plane));
        }

        Assert.Equal(columnsOneByOne, columns);
        Assert.Equal(gradientOneByOne, gradient);
    }

    [Fact]
    public void WrongBufferLengths_ThrowNamingTheShape()
    {
        var g = ConvGeometry.Create(4, 5, 3, 3);

        var imageError = Assert.Throws<ArgumentException>(() => Im2ColKernels.Im2Col<double>(new double[19], 1, g, new double[9 * 6]));
        var columnsError = Assert.Throws<ArgumentException>(() => Im2ColKernels.Col2Im<float>(new float[9 * 5], 1, g, new float[20]));
        Assert.Throws<ArgumentOutOfRangeException>(() => Im2ColKernels.Im2Col<double>([], 0, g, []));

        Assert.Contains("[C=1, H=4, W=5] = 20 elements but holds 19", imageError.Message);
        Assert.Contains("OH·OW=2·3] = 54 elements but holds 45", columnsError.Message);
    }

    private static double[] NaiveConvolution(double[] input, double[] weight, int batch, int channels, int outChannels, ConvGeometry g)
    {
        int h = g.InputHeight, w = g.InputWidth, kh = g.KernelHeight, kw = g.KernelWidth;
        var output = new double[batch * outChannels * g.OutputPlaneSize];
        for (int n = 0; n < batch; n++)
        {
            for (int co = 0; co < outChannels; co++)
            {
                for (int oh = 0; oh < g.OutputHeight; oh++)
                {
                    for (int ow = 0; ow < g.OutputWidth; ow++)
                    {
                        double sum = 0;
                        for (int ci = 0; ci < channels; ci++)
                        {
                            for (int i = 0; i < kh; i++)
                            {
                                for (int j = 0; j < kw; j++)
                                {
                                    int ih = oh * g.StrideH - g.PadH + i * g.DilationH, iw = ow * g.StrideW - g.PadW + j * g.DilationW;
                                    if (ih >= 0 && ih < h && iw >= 0 && iw < w)
                                    {
                                        sum += input[((n * channels + ci) * h + ih) * w + iw] * weight[((co * channels + ci) * kh + i) * kw + j];
                                    }
                                }
                            }
                        }

                        output[((n * outChannels + co) * g.OutputHeight + oh) * g.OutputWidth + ow] = sum;
                    }
                }
            }
        }

        return output;
    }

    private static double[] NaiveMatMul(double[] a, double[] b, int rows, int inner, int columns)
    {
        var c = new double[rows * columns];
        for (int r = 0; r < rows; r++)
        {
            for (int k = 0; k < inner; k++)
            {
                for (int col = 0; col < columns; col++)
                {
                    c[r * columns + col] += a[r * inner + k] * b[k * columns + col];
                }
            }
        }

        return c;
    }

    private static double Dot(double[] a, double[] b)
    {
        double sum = 0;
        for (int k = 0; k < a.Length; k++)
        {
            sum += a[k] * b[k];
        }

        return sum;
    }

    internal static double[] RandomArray(Random random, int length)
    {
        var values = new double[length];
        for (int k = 0; k < length; k++)
        {
            values[k] = random.NextDouble() * 2 - 1;
        }

        return values;
    }
}

/// <summary>One geometry for a theory; a record so xunit shows its values in the test name.</summary>
public sealed record WindowCase(int Channels, int H, int W, int KernelH, int KernelW, int StrideH, int StrideW, int PadH, int PadW, int DilationH, int DilationW)
{
    internal ConvGeometry Geometry() => ConvGeometry.Create(H, W, KernelH, KernelW, StrideH, StrideW, PadH, PadW, DilationH, DilationW);
}
