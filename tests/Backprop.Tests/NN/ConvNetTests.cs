using Backprop.NN;

namespace Backprop.Tests.NN;

public class ConvNetTests
{
    [Theory]
    [InlineData(1, 28, 28, new[] { 8, 16 }, 16 * 7 * 7)]
    [InlineData(3, 32, 48, new[] { 16, 32 }, 32 * 8 * 12)]
    [InlineData(1, 32, 32, new[] { 4, 4, 4, 4 }, 4 * 2 * 2)]
    [InlineData(3, 7, 9, new[] { 5 }, 5 * 3 * 4)]   // odd sizes: the pool drops the last row and column
    public void Create_SizesTheDenseHeadFromTheInput_AndRunsOnIt(int channels, int height, int width, int[] blocks, int flattened)
    {
        var model = ConvNet.Create([channels, height, width], blocks, classes: 3);

        Assert.Equal(flattened, ConvNet.FlattenedSize([channels, height, width], blocks));
        Assert.Equal($"Dense({flattened}, 3)", model[^1].ToString());
        Assert.Equal([2, 3], model.Forward(Tensor.Zeros(2, channels, height, width)).Shape);
    }

    [Fact]
    public void Create_OfImagesTooSmallForItsBlocks_SaysWhatItNeeds()
    {
        var error = Assert.Throws<ArgumentException>(() => ConvNet.Create([3, 6, 20], [8, 8, 8], classes: 2));
        Assert.StartsWith("images of 20×6 pixels are too small for 3 convolution blocks", error.Message);
        Assert.Contains("needs at least 8×8", error.Message);
    }
}
