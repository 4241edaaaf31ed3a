using Backprop.NN;

namespace Backprop.Tests.NN;

public class EmbeddingTests
{
    [Fact]
    public void Embedding_HasPyTorchsNameShapeAndStandardNormalInit()
    {
        var embedding = new Embedding(100, 50, seed: 1);
        Assert.Equal([("weight", "100x50")], embedding.NamedParameters().Select(p => (p.Name, string.Join("x", p.Parameter.Shape))));
        var w = embedding.Weight.ToDoubleArray();
        // PyTorch initialises nn.Embedding with N(0, 1); 5000 draws give a mean within ±0.05 and a variance within 10% of 1.
        Assert.InRange(w.Average(), -0.05, 0.05);
        Assert.InRange(w.Select(v => v * v).Average(), 0.9, 1.1);
    }

    [Fact]
    public void Forward_LooksUpRows_ForIndexTensorsOfRankOneAndTwo()
    {
        var embedding = new Embedding(5, 3, seed: 2);
        var byArray = embedding.Forward([4, 0]);
        Assert.Equal([2, 3], byArray.Shape);
        Assert.Equal(embedding.Weight.Select(0, 4).ToDoubleArray(), byArray.Select(0, 0).ToDoubleArray());
        var byTensor = embedding.Forward(Tensor.FromArray(new float[] { 1, 2, 3, 4, 0, 1 }, 2, 3));
        Assert.Equal([2, 3, 3], byTensor.Shape);
        Assert.Equal(embedding.Weight.Select(0, 0).ToDoubleArray(), byTensor.Select(0, 1).Select(0, 1).ToDoubleArray());
    }

    [Fact]
    public void Backward_AccumulatesTheGradientOfRepeatedIndices()
    {
        var embedding = new Embedding(4, 2, seed: 3);
        embedding.Forward([1, 3, 1, 1]).Sum().Backward();
        // Σ of every looked-up element: each use of a row adds 1 to each of its entries.
        Assert.Equal([0.0, 0, 3, 3, 0, 0, 1, 1], embedding.Weight.Grad!.ToDoubleArray());
    }

    [Theory]
    [InlineData(5)]
    [InlineData(-1)]
    public void Forward_WithAnIndexOutsideTheVocabulary_QuotesIndexAndVocabulary(int index)
    {
        var embedding = new Embedding(5, 2);
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => embedding.Forward([0, index]));
        Assert.Contains($"index {index} at position 1", error.Message);
        Assert.Contains("vocabulary size 5", error.Message);
        var tensorError = Assert.Throws<ArgumentOutOfRangeException>(() => embedding.Forward(Tensor.FromArray(new[] { 0.0, index }, 2)));
        Assert.Contains("vocabulary size 5", tensorError.Message);
    }

    [Fact]
    public void Forward_WithAFractionalIndex_IsRefused()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new Embedding(5, 2).Forward(Tensor.FromArray(new[] { 1.5 }, 1)));
        Assert.Contains("1.5", error.Message);
    }
}
