using System.Numerics;
using Backprop.Kernels;

namespace Backprop.Tests.Kernels;

/// <summary>DirectConvolution against the definition written as nested loops in float64, on shapes the kernels accept.</summary>
[Collection("Threads")]
public class DirectConvolutionTests
{
    /// <summary>Batch, in → out channels, height, width, kernel (square), padding: rows exactly, just above and well above a vector; primes; size 1 channels and batch.</summary>
    public static TheoryData<int, int, int, int, int, int, int> Shapes => new()
    {
        { 1, 1, 4, 8, 8, 3, 1 },
        { 2, 4, 8, 5, 9, 3, 1 },
        { 3, 1, 8, 28, 28, 3, 1 },
        { 2, 8, 16, 14, 14, 3, 1 },
        { 1, 4, 4, 7, 13, 3, 0 },
        { 5, 3, 4, 11, 17, 3, 2 },
        { 2, 4, 4, 6, 11, 1, 0 },
        { 2, 2, 8, 9, 12, 5, 2 },
        { 1, 4, 12, 1, 23, 3, 1 },
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Double_MatchesTheDefinition(int batch, int channels, int outChannels, int height, int width, int kernel, int padding) =>
        CheckAgainstDefinition<double>(batch, channels, outChannels, height, width, kernel, padding, 1e-12);

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Float_MatchesTheDefinition(int batch, int channels, int outChannels, int height, int width, int kernel, int padding) =>
        CheckAgainstDefinition<float>(batch, channels, outChannels, height, width, kernel, padding, 1e-4);

    [Fact]
    public void Fits_RefusesWhatTheKernelsDoNotHandle()
    {
        var plain = ConvGeometry.Create(14, 14, 3, 3, padH: 1, padW: 1);

        Assert.True(DirectConvolution.Fits<float>(8, 16, plain));
        Assert.False(DirectConvolution.Fits<float>(8, 6, plain));
        Assert.False(DirectConvolution.Fits<float>(32, 64, plain));
        Assert.False(DirectConvolution.Fits<float>(1, 8, ConvGeometry.Create(14, 14, 3, 3, strideH: 2, strideW: 2, padH: 1, padW: 1)));
        Assert.False(DirectConvolution.Fits<float>(1, 8, ConvGeometry.Create(14, 14, 3, 3, padH: 1, padW: 1, dilationH: 2, dilationW: 2)));
        Assert.False(DirectConvolution.Fits<float>(1, 8, ConvGeometry.Create(14, 14, 3, 3, padH: 3, padW: 3)));
        Assert.False(DirectConvolution.Fits<float>(1, 8, ConvGeometry.Create(7, 7, 3, 3, padH: 1, padW: 1)));
        Assert.False(DirectConvolution.FitsInputGradient<float>(1, 8, plain));
        Assert.False(DirectConvolution.FitsWeightGradient<float>(4, 8, ConvGeometry.Create(14, 14, 5, 5, padH: 2, padW: 2)));
    }

    [Fact]
    public void InfiniteInput_InTheOverlapOfARowsLastVector_GivesInfinityNotNaN()
    {
        // Worked by hand: a 3×11 plane of ones, 3×3 kernel, no padding, all-ones output gradient: one output row of 9,
        // so each tap sums 9 inputs. The row's last vector (columns 1–8) re-reads columns 1–7 with their lanes masked:
        // an infinite input there must give the tap ∞, not 0 · ∞ = NaN.
        var g = ConvGeometry.Create(3, 11, 3, 3);
        var input = Enumerable.Repeat(1.0f, 3 * 11).ToArray();
        input[3] = float.PositiveInfinity;
        var outputGradient = Enumerable.Repeat(1.0f, 4 * g.OutputPlaneSize).ToArray();
        var weightGradient = new float[4 * 9];

        DirectConvolution.BackwardWeight3x3<float>(outputGradient, input, 1, 1, 4, g, weightGradient);

        Assert.Equal(float.PositiveInfinity, weightGradient[0]);
        Assert.Equal(9f, weightGradient[3]);
    }

    [Fact]
    public void LargeBatch_GivesTheSameBitsOnOneAndTwoThreads()
    {
        const int Batch = 64, Channels = 8, OutChannels = 16, Size = 14;
        var g = ConvGeometry.Create(Size, Size, 3, 3, padH: 1, padW: 1);
        var random = new Random(11);
        float[] Random(int length) => Enumerable.Range(0, length).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
        var (input, weight, bias, outputGradient) = (Random(Batch * Channels * Size * Size), Random(OutChannels * Channels * 9), Random(OutChannels), Random(Batch * OutChannels * Size * Size));
        Assert.True(PlaneParallel.IsWorthIt(Batch, (long)Batch * OutChannels * g.OutputPlaneSize));

        (float[] Output, float[] InputGradient, float[] WeightGradient) Run(int threads) => ThreadCount.With(threads, () =>
        {
            var output = new float[outputGradient.Length];
            var inputGradient = new float[input.Length];
            var weightGradient = new float[weight.Length];
            DirectConvolution.Forward<float>(input, Batch, Channels, weight, OutChannels, bias, g, output);
            DirectConvolution.BackwardInput<float>(outputGradient, Batch, Channels, weight, OutChannels, g, inputGradient);
            DirectConvolution.BackwardWeight3x3<float>(outputGradient, input, Batch, Channels, OutChannels, g, weightGradient);
            return (output, inputGradient, weightGradient);
        });

        var one = Run(1);
        var two = Run(2);
        Assert.Equal(one.Output, two.Output);
        Assert.Equal(one.InputGradient, two.InputGradient);
        Assert.Equal(one.WeightGradient, two.WeightGradient);
    }

    private static void CheckAgainstDefinition<T>(int batch, int channels, int outChannels, int height, int width, int kernel, int padding, double tolerance)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var g = ConvGeometry.Create(height, width, kernel, kernel, padH: padding, padW: padding);
        Assert.True(DirectConvolution.Fits<T>(channels, outChannels, g), "the case must exercise the direct kernels");
        var random = new Random((batch * 31) + (height * 7) + width);
        T[] Random(int length) => Enumerable.Range(0, length).Select(_ => T.CreateChecked(random.NextDouble() * 2 - 1)).ToArray();
        var input = Random(batch * channels * height * width);
        var weight = Random(outChannels * channels * kernel * kernel);
        var bias = Random(outChannels);
        var outputGradient = Random(batch * outChannels * g.OutputPlaneSize);
        var reference = new Definition(batch, channels, outChannels, g,
            input.Select(double.CreateChecked).ToArray(), weight.Select(double.CreateChecked).ToArray(), outputGradient.Select(double.CreateChecked).ToArray());

        var output = new T[outputGradient.Length];
        DirectConvolution.Forward<T>(input, batch, channels, weight, outChannels, bias, g, output);
        AssertClose(reference.Output(bias.Select(double.CreateChecked).ToArray()), output, tolerance);

        if (DirectConvolution.FitsInputGradient<T>(channels, outChannels, g))
        {
            var inputGradient = Enumerable.Repeat(T.NaN, input.Length).ToArray();
            DirectConvolution.BackwardInput<T>(outputGradient, batch, channels, weight, outChannels, g, inputGradient);
            AssertClose(reference.InputGradient(), inputGradient, tolerance);
        }

        if (DirectConvolution.FitsWeightGradient<T>(channels, outChannels, g))
        {
            var weightGradient = Enumerable.Repeat(T.NaN, weight.Length).ToArray();
            DirectConvolution.BackwardWeight3x3<T>(outputGradient, input, batch, channels, outChannels, g, weightGradient);
            AssertClose(reference.WeightGradient(), weightGradient, tolerance);
        }
    }

    private static void AssertClose<T>(double[] expected, T[] actual, double tolerance)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            double value = double.CreateChecked(actual[i]);
            Assert.True(Math.Abs(value - expected[i]) <= tolerance * Math.Max(1, Math.Abs(expected[i])), $"element {i}: expected {expected[i]}, got {value}");
        }
    }

    /// <summary>The convolution and its two gradients, summed term by term over every (output, tap) pair in float64.</summary>
    private sealed class Definition(int batch, int channels, int outChannels, ConvGeometry g, double[] input, double[] weight, double[] outputGradient)
    {
        private readonly int _k = g.KernelHeight;

        public double[] Output(double[] bias)
        {
            var output = new double[outputGradient.Length];
            ForEachTerm((outputIndex, inputIndex, weightIndex) => output[outputIndex] += weight[weightIndex] * input[inputIndex]);
            for (int n = 0; n < batch; n++)
                for (int o = 0; o < outChannels; o++)
                    for (int p = 0; p < g.OutputPlaneSize; p++) output[((n * outChannels) + o) * g.OutputPlaneSize + p] += bias[o];
            return output;
        }

        public double[] InputGradient()
        {
            var gradient = new double[input.Length];
            ForEachTerm((outputIndex, inputIndex, weightIndex) => gradient[inputIndex] += weight[weightIndex] * outputGradient[outputIndex]);
            return gradient;
        }

        public double[] WeightGradient()
        {
            var gradient = new double[weight.Length];
            ForEachTerm((outputIndex, inputIndex, weightIndex) => gradient[weightIndex] += input[inputIndex] * outputGradient[outputIndex]);
            return gradient;
        }

        private void ForEachTerm(Action<int, int, int> term)
        {
            for (int n = 0; n < batch; n++)
                for (int o = 0; o < outChannels; o++)
                    for (int i = 0; i < g.OutputHeight; i++)
                        for (int j = 0; j < g.OutputWidth; j++)
                            for (int c = 0; c < channels; c++)
                                for (int u = 0; u < _k; u++)
                                    for (int v = 0; v < _k; v++)
                                    {
                                        int row = i - g.PadH + u, column = j - g.PadW + v;
                                        if (row < 0 || row >= g.InputHeight || column < 0 || column >= g.InputWidth) continue;
                                        term(
                                            ((((n * outChannels) + o) * g.OutputHeight) + i) * g.OutputWidth + j,
                                            ((((n * channels) + c) * g.InputHeight) + row) * g.InputWidth + column,
                                            ((((o * channels) + c) * _k) + u) * _k + v);
                                    }
        }
    }
}
