using Backprop.Autograd;
using Backprop.NN;

namespace Backprop.Tests.NN.Convolution;

public class Conv2dTests
{
    [Fact]
    public void Conv2d_HasPyTorchNamesAndLayout()
    {
        var model = new Sequential(new Conv2d(1, 8, 3, padding: 1), new ReLU(), new MaxPool2d(2), new Conv2d(8, 16, 3, padding: 1, bias: false));

        var named = model.NamedParameters().Select(p => (p.Name, string.Join("x", p.Parameter.Shape))).ToArray();

        Assert.Equal([("0.weight", "8x1x3x3"), ("0.bias", "8"), ("3.weight", "16x8x3x3")], named);
        Assert.All(model.Parameters(), p => Assert.True(p.RequiresGrad));
    }

    [Fact]
    public void Conv2d_DefaultInitialisation_IsPyTorchsUniformBound()
    {
        var layer = new Conv2d(16, 32, 3, seed: 1);
        double bound = 1 / Math.Sqrt(16 * 3 * 3); // PyTorch Conv2d: kaiming_uniform(a=√5) gives U(±1/√fan_in), fan_in = in·kh·kw; bias likewise

        Assert.All(layer.Weight.ToDoubleArray(), w => Assert.InRange(Math.Abs(w), 0, bound));
        Assert.All(layer.Bias!.ToDoubleArray(), b => Assert.InRange(Math.Abs(b), 0, bound));
        // The variance of U(±b) is b²/3; with 4608 draws the sample variance is within 10% of it.
        var w = layer.Weight.ToDoubleArray();
        Assert.InRange(w.Select(v => v * v).Average(), 0.9 * bound * bound / 3, 1.1 * bound * bound / 3);
    }

    [Fact]
    public void Conv2d_IsDeterministicForASeed_AndForTheThreadGenerator()
    {
        Assert.Equal(new Conv2d(2, 3, 3, seed: 4).Weight.ToFloatArray(), new Conv2d(2, 3, 3, seed: 4).Weight.ToFloatArray());
        Rng.ManualSeed(11);
        var first = new Conv2d(2, 3, 3).Bias!.ToFloatArray();
        Rng.ManualSeed(11);
        Assert.Equal(first, new Conv2d(2, 3, 3).Bias!.ToFloatArray());
    }

    /// <summary>Expected sizes from PyTorch's formula ⌊(H + 2p − d(k − 1) − 1) / s⌋ + 1, worked by hand.</summary>
    [Theory]
    [InlineData(28, 3, 1, 1, 1, 28)]
    [InlineData(28, 3, 1, 0, 1, 26)]
    [InlineData(28, 3, 2, 1, 1, 14)]
    [InlineData(28, 5, 3, 2, 1, 10)]
    [InlineData(7, 3, 2, 0, 2, 2)]
    [InlineData(9, 3, 1, 2, 3, 7)]
    [InlineData(3, 3, 1, 0, 1, 1)]
    public void Conv2d_OutputShape_FollowsPyTorchsFormula(int size, int kernel, int stride, int padding, int dilation, int expected)
    {
        var layer = new Conv2d(2, 5, kernel, stride, padding, dilation, seed: 0);

        var output = layer.Forward(Tensor.Zeros(3, 2, size, size + 1));

        int expectedWidth = (size + 1 + 2 * padding - dilation * (kernel - 1) - 1) / stride + 1;
        Assert.Equal([3, 5, expected, expectedWidth], output.Shape);
    }

    [Fact]
    public void Conv2d_WithHeightWidthPairs_UsesEachAxisOwnValues()
    {
        var layer = new Conv2d(1, 2, kernelSize: (3, 1), stride: (2, 1), padding: (0, 2), seed: 0);

        var output = layer.Forward(Tensor.Zeros(1, 1, 9, 4));

        // Worked by hand: height ⌊(9 − 3) / 2⌋ + 1 = 4, width 4 + 2·2 − 1 + 1 = 8.
        Assert.Equal([1, 2, 4, 8], output.Shape);
        Assert.Equal([2, 1, 3, 1], layer.Weight.Shape);
        Assert.Equal("Conv2d(1, 2, kernelSize: (3, 1), stride: (2, 1), padding: (0, 2))", layer.ToString());
    }

    [Fact]
    public void Conv2d_Forward_IsTheFunctionalOpOnItsParameters()
    {
        var layer = new Conv2d(2, 3, 3, stride: 2, padding: 1, seed: 5);
        layer.To(DType.Float64);
        var x = Tensor.RandomUniform([2, 2, 6, 6], 6, -1, 1, DType.Float64);

        var expected = Tensor.Conv2d(x, layer.Weight, layer.Bias, stride: 2, padding: 1);

        Assert.Equal(expected.ToDoubleArray(), layer.Forward(x).ToDoubleArray());
    }

    [Fact]
    public void Conv2d_Parameters_MatchFiniteDifferences()
    {
        var layer = new Conv2d(2, 3, 3, padding: 1, dilation: 2, seed: 7);
        layer.To(DType.Float64);
        var x = Tensor.RandomUniform([2, 2, 5, 5], 8, -1, 1, DType.Float64);

        var result = GradCheck.Run(() => layer.Forward(x), layer.Parameters().ToList());

        Assert.True(result.Passed(1e-6), $"max relative error {result.MaxRelativeError:E2} at {result.WorstElement}");
    }

    [Theory]
    [InlineData(0, 8, 3, 1, 0, 1, "inChannels", "0")]
    [InlineData(1, -2, 3, 1, 0, 1, "outChannels", "-2")]
    [InlineData(1, 8, 0, 1, 0, 1, "kernelSize", "0")]
    [InlineData(1, 8, 3, 0, 0, 1, "stride", "0")]
    [InlineData(1, 8, 3, 1, -1, 1, "padding", "-1")]
    [InlineData(1, 8, 3, 1, 0, 0, "dilation", "0")]
    public void Conv2d_WithAnOutOfRangeArgument_NamesTheLayerAndQuotesTheValue(
        int inChannels, int outChannels, int kernel, int stride, int padding, int dilation, string name, string value)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new Conv2d(inChannels, outChannels, kernel, stride, padding, dilation));

        Assert.Equal(name, error.ParamName);
        Assert.Contains($"Conv2d({inChannels}, {outChannels}, kernelSize: {kernel}", error.Message);
        Assert.Contains($"got {value}", error.Message);
    }

    [Fact]
    public void Conv2d_FedAnInputThatIsNot4D_NamesTheLayerAndTheShape()
    {
        var error = Assert.Throws<ArgumentException>(() => new Conv2d(1, 8, 3).Forward(Tensor.Zeros(1, 28, 28)));

        Assert.Contains("Conv2d(1, 8, kernelSize: 3)", error.Message);
        Assert.Contains("[batch, 1, height, width]", error.Message);
        Assert.Contains("[1, 28, 28]", error.Message);
    }

    [Fact]
    public void Conv2d_FedTheWrongChannelCount_NamesTheLayerAndBothCounts()
    {
        var error = Assert.Throws<ArgumentException>(() => new Conv2d(1, 8, 3, padding: 1).Forward(Tensor.Zeros(2, 3, 28, 28)));

        Assert.Contains("Conv2d(1, 8, kernelSize: 3, padding: 1)", error.Message);
        Assert.Contains("[batch, 1, height, width]", error.Message);
        Assert.Contains("[2, 3, 28, 28]", error.Message);
    }

    [Fact]
    public void Conv2d_WithAKernelLargerThanThePaddedInput_NamesTheLayerAndTheSizes()
    {
        var error = Assert.Throws<ArgumentException>(() => new Conv2d(1, 8, 5, padding: 1).Forward(Tensor.Zeros(1, 1, 2, 3)));

        Assert.Contains("Conv2d(1, 8, kernelSize: 5, padding: 1)", error.Message);
        Assert.Contains("kernel 5x5", error.Message);
        Assert.Contains("padded input 4x5", error.Message);
        Assert.Contains("[1, 1, 2, 3]", error.Message);
    }
}
