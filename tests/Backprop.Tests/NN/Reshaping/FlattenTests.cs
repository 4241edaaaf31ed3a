using Backprop.Autograd;
using Backprop.NN;

namespace Backprop.Tests.NN;

public class FlattenTests
{
    [Fact]
    public void Flatten_MergesEverythingAfterTheBatch_KeepingRowMajorOrder()
    {
        var values = Enumerable.Range(0, 120).Select(i => (double)i).ToArray();
        var output = new Flatten().Forward(Tensor.FromArray(values, 2, 3, 4, 5));
        Assert.Equal([2, 60], output.Shape);
        Assert.Equal(values, output.ToDoubleArray());
    }

    [Theory]
    [InlineData(0, new[] { 120 })]
    [InlineData(2, new[] { 2, 3, 20 })]
    [InlineData(3, new[] { 2, 3, 4, 5 })]
    public void Flatten_FromAStartDim_KeepsTheDimensionsBeforeIt(int startDim, int[] expected)
    {
        Assert.Equal(expected, new Flatten(startDim).Forward(Tensor.Zeros(2, 3, 4, 5)).Shape);
    }

    [Fact]
    public void Backward_OfFlatten_MatchesFiniteDifferences()
    {
        var x = Tensor.RandomNormal([2, 3, 2, 2], seed: 1, dtype: DType.Float64);
        var result = GradCheck.Run(inputs => new Flatten().Forward(inputs[0]).Tanh(), x);
        Assert.True(result.Passed(1e-6), result.WorstElement);
    }

    [Fact]
    public void Flatten_OfAnInputWithoutTheStartDim_NamesTheShape()
    {
        var error = Assert.Throws<ArgumentException>(() => new Flatten(2).Forward(Tensor.Zeros(4, 3)));
        Assert.Contains("Flatten", error.Message);
        Assert.Contains("[4, 3]", error.Message);
    }

    [Fact]
    public void Flatten_WithANegativeStartDim_QuotesTheValue()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new Flatten(-1));
        Assert.Contains("-1", error.Message);
    }
}
