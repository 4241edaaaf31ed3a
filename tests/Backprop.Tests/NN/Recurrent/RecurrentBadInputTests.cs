using Backprop.NN;
using static Backprop.Tests.NN.Recurrent.RecurrentTestHelpers;

namespace Backprop.Tests.NN.Recurrent;

/// <summary>Bad sizes, shapes, lengths and states are refused with messages naming the layer and the values.</summary>
public class RecurrentBadInputTests
{
    [Fact]
    public void Input_OfTheWrongWidth_NamesTheLayerAndBothShapes()
    {
        var error = Assert.Throws<ArgumentException>(() => new Lstm(3, 4).ForwardWithState(Tensor.Zeros(5, 2, 7)));
        Assert.Contains("Lstm(3, 4)", error.Message);
        Assert.Contains("[T, N, 3]", error.Message);
        Assert.Contains("[5, 2, 7]", error.Message);
    }

    [Fact]
    public void Input_OfTheWrongRank_IsRefused()
    {
        var error = Assert.Throws<ArgumentException>(() => new Gru(3, 4, batchFirst: true).ForwardWithState(Tensor.Zeros(3)));
        Assert.Contains("[N, T, 3]", error.Message);
    }

    [Fact]
    public void EmptySequence_IsRefused()
    {
        var error = Assert.Throws<ArgumentException>(() => new Rnn(3, 4).ForwardWithState(Tensor.Zeros(0, 2, 3)));
        Assert.Contains("T = 0", error.Message);
        Assert.Contains("Rnn(3, 4)", error.Message);
    }

    [Theory]
    [InlineData(6)]
    [InlineData(0)]
    [InlineData(-1)]
    public void Lengths_OutsideOneToT_QuoteTheLengthAndT(int length)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new Lstm(3, 4).ForwardWithState(Tensor.Zeros(5, 2, 3), lengths: [5, length]));
        Assert.Contains($"length {length} of sequence 1", error.Message);
        Assert.Contains("T = 5", error.Message);
    }

    [Fact]
    public void Lengths_NotOnePerSequence_AreRefused()
    {
        var error = Assert.Throws<ArgumentException>(() => new Gru(3, 4).ForwardWithState(Tensor.Zeros(5, 2, 3), lengths: [5]));
        Assert.Contains("1 lengths given for a batch of 2", error.Message);
    }

    [Fact]
    public void InitialState_OfTheWrongShape_NamesExpectedAndActual()
    {
        var error = Assert.Throws<ArgumentException>(() => new Lstm(3, 4, numLayers: 2).ForwardWithState(Tensor.Zeros(5, 2, 3), Tensor.Zeros(1, 2, 4)));
        Assert.Contains("initialHidden", error.Message);
        Assert.Contains("[2, 2, 4]", error.Message);
        Assert.Contains("[1, 2, 4]", error.Message);
        var cellError = Assert.Throws<ArgumentException>(() => new Lstm(3, 4).ForwardWithState(Tensor.Zeros(5, 2, 3), null, Tensor.Zeros(1, 3, 4)));
        Assert.Contains("initialCell", cellError.Message);
    }

    [Fact]
    public void InitialCell_ForALayerWithoutCell_IsRefused()
    {
        var error = Assert.Throws<ArgumentException>(() => new Gru(3, 4).ForwardWithState(Tensor.Zeros(5, 2, 3), null, Tensor.Zeros(1, 2, 4)));
        Assert.Contains("no cell state", error.Message);
    }

    [Fact]
    public void Input_OfAnotherDType_SaysHowToConvert()
    {
        var error = Assert.Throws<ArgumentException>(() => new Rnn(3, 4).ForwardWithState(Random(1, 5, 2, 3)));
        Assert.Contains("Float64", error.Message);
        Assert.Contains("To(", error.Message);
    }

    [Theory]
    [InlineData(0, 4, 1)]
    [InlineData(3, 0, 1)]
    [InlineData(3, 4, 0)]
    public void Constructor_WithANonPositiveSize_QuotesTheValue(int inputSize, int hiddenSize, int numLayers)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new Lstm(inputSize, hiddenSize, numLayers));
        Assert.Contains("must be ≥ 1, got 0", error.Message);
        Assert.StartsWith("Lstm:", error.Message);
    }
}
