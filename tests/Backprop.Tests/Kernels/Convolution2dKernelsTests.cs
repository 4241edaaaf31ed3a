using Backprop.Kernels;

namespace Backprop.Tests.Kernels;

public sealed class Convolution2dKernelsTests
{
    public static TheoryData<int, int, int> Geometries => new()
    {
        // Stride 1, padding 1, eight output channels: the direct kernels.
        { 1, 4, 8 },
        // Stride 2: batched columns and one GEMM.
        { 2, 3, 5 },
    };

    [Theory]
    [MemberData(nameof(Geometries))]
    public void EveryPass_ReadsAndWritesItsSegmentOnly_WithTheBitsOfArraysFromIndexZero(int stride, int channels, int outChannels)
    {
        // Values at an offset inside larger arrays (as a training step's tensors lie, on a cache line), with sentinels
        // around them, against the same values in arrays of their own.
        const int Batch = 2, Offset = 5;
        var g = ConvGeometry.Create(9, 11, 3, 3, stride, stride, padH: 1, padW: 1);
        int inputLength = Batch * channels * g.InputPlaneSize, outputLength = Batch * outChannels * g.OutputPlaneSize;
        int weightLength = outChannels * channels * 9;
        var random = new Random(stride);
        float[] input = Values(random, inputLength), gradient = Values(random, outputLength);
        float[] weight = Values(random, weightLength), bias = Values(random, outChannels);

        float[] output = new float[outputLength], inputGradient = new float[inputLength], weightGradient = new float[weightLength];
        Convolution2dKernels.Forward<float>(input, Batch, channels, weight, outChannels, bias, g, output);
        Convolution2dKernels.BackwardInput<float>(gradient, Batch, channels, weight, outChannels, g, inputGradient);
        Convolution2dKernels.BackwardWeight<float>(gradient, input, Batch, channels, outChannels, g, weightGradient);

        var shiftedOutput = Around(new float[outputLength], Offset);
        var shiftedInputGradient = Around(new float[inputLength], Offset);
        var shiftedWeightGradient = Around(new float[weightLength], Offset);
        Convolution2dKernels.Forward<float>(Around(input, Offset), Batch, channels, weight, outChannels, bias, g, shiftedOutput);
        Convolution2dKernels.BackwardInput<float>(Around(gradient, Offset), Batch, channels, weight, outChannels, g, shiftedInputGradient);
        Convolution2dKernels.BackwardWeight<float>(Around(gradient, Offset), Around(input, Offset), Batch, channels, outChannels, g, shiftedWeightGradient);

        AssertSameInside(output, shiftedOutput);
        AssertSameInside(inputGradient, shiftedInputGradient);
        AssertSameInside(weightGradient, shiftedWeightGradient);
    }

    private static float[] Values(Random random, int length) => [.. Enumerable.Range(0, length).Select(_ => (float)(random.NextDouble() - 0.5))];

    /// <summary>The values at <paramref name="offset"/> in an array with NaN sentinels on both sides.</summary>
    private static ArraySegment<float> Around(float[] values, int offset)
    {
        var storage = Enumerable.Repeat(float.NaN, values.Length + (2 * offset)).ToArray();
        values.CopyTo(storage, offset);
        return new ArraySegment<float>(storage, offset, values.Length);
    }

    private static void AssertSameInside(float[] expected, ArraySegment<float> actual)
    {
        Assert.Equal(expected, actual.ToArray());
        Assert.All(actual.Array![..actual.Offset], value => Assert.True(float.IsNaN(value)));
        Assert.All(actual.Array![(actual.Offset + actual.Count)..], value => Assert.True(float.IsNaN(value)));
    }
}
