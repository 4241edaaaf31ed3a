using Backprop.Autograd;
using Backprop.NN;

namespace Backprop.Tests.Ops;

/// <summary>Tensor.ReluMaxPool2d, the fused ReLU → MaxPool2d that Sequential runs: the same bits as the two ops, and finite differences.</summary>
public sealed class ReluMaxPoolTests
{
    /// <summary>Kernel, stride, padding, dilation: the usual 2×2, overlapping windows (gradients add), padding, dilation.</summary>
    public static TheoryData<int, int, int, int, DType> Geometries
    {
        get
        {
            var data = new TheoryData<int, int, int, int, DType>();
            foreach (var dtype in new[] { DType.Float32, DType.Float64 })
            {
                data.Add(2, 2, 0, 1, dtype);
                data.Add(3, 1, 0, 1, dtype);
                data.Add(3, 2, 1, 1, dtype);
                data.Add(2, 1, 1, 1, dtype);
                data.Add(2, 1, 0, 2, dtype);
            }

            return data;
        }
    }

    [Theory]
    [MemberData(nameof(Geometries))]
    public void ReluMaxPool2d_GivesTheBitsOfMaxPoolOfRelu(int kernel, int stride, int padding, int dilation, DType dtype)
    {
        // Few distinct values, so windows tie, hold only negatives or zeros of either sign, and now and then a NaN.
        double[] choices = [-2, -1, -0.0, 0, 1, 2, 2, double.NaN];
        var random = new Random(kernel * 100 + stride * 10 + padding + dilation);
        var values = Enumerable.Range(0, 3 * 2 * 9 * 7).Select(_ => choices[random.Next(choices.Length)]).ToArray();
        Tensor Input() => Tensor.FromArray(values, 3, 2, 9, 7).ToDType(dtype).RequireGrad();
        var (fusedInput, separateInput) = (Input(), Input());

        var fused = Tensor.ReluMaxPool2d(fusedInput, (kernel, kernel), (stride, stride), (padding, padding), (dilation, dilation), "test");
        var separate = Tensor.MaxPool2d(separateInput.Relu(), kernel, stride, padding, dilation);
        var outputGradient = Tensor.RandomNormal(fused.Shape, seed: 3, dtype: dtype);
        fused.Backward(outputGradient);
        separate.Backward(outputGradient);

        Assert.Equal(Bits(separate), Bits(fused));
        Assert.Equal(Bits(separateInput.Grad!), Bits(fusedInput.Grad!));
    }

    [Theory]
    [InlineData(2, 2, 0, 1)]
    [InlineData(3, 1, 0, 1)]
    [InlineData(3, 2, 1, 1)]
    [InlineData(2, 1, 0, 2)]
    public void Backward_OfReluMaxPool2d_MatchesFiniteDifferences(int kernel, int stride, int padding, int dilation)
    {
        var x = Tensor.RandomUniform([2, 2, 6, 5], 8, -1, 1, DType.Float64);

        var result = GradCheck.Run(
            inputs => Tensor.ReluMaxPool2d(inputs[0], (kernel, kernel), (stride, stride), (padding, padding), (dilation, dilation), "test"), x);

        Assert.True(result.Passed(1e-6), $"max relative error {result.MaxRelativeError:E2} at {result.WorstElement}");
    }

    [Theory]
    [InlineData(DType.Float32)]
    [InlineData(DType.Float64)]
    public void Sequential_ReluThenMaxPool_GivesTheBitsOfTheLayersOneByOne(DType dtype)
    {
        var layers = new Module[] { new Conv2d(2, 4, 3, padding: 1, seed: 1), new ReLU(), new MaxPool2d(2) };
        var model = new Sequential(layers);
        model.To(dtype);
        var x = Tensor.RandomNormal([3, 2, 10, 9], seed: 2, dtype: dtype);
        var projection = Tensor.RandomNormal([3, 4, 5, 4], seed: 3, dtype: dtype);

        var fused = model.Forward(x);
        (fused * projection).Sum().Backward();
        var fusedGradients = model.Parameters().Select(p => Bits(p.Grad!)).ToArray();
        foreach (var p in model.Parameters()) p.Grad = null;
        var separate = layers.Aggregate(x, (input, layer) => layer.Forward(input));
        (separate * projection).Sum().Backward();

        Assert.Equal(Bits(separate), Bits(fused));
        Assert.Equal(model.Parameters().Select(p => Bits(p.Grad!)).ToArray(), fusedGradients);
    }

    private static long[] Bits(Tensor t) => t.ToDoubleArray().Select(BitConverter.DoubleToInt64Bits).ToArray();
}
