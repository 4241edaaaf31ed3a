using Backprop.Data;

namespace Backprop.Tests.Data;

public class DatasetSourceTests
{
    private static Dataset Numbers(int count) =>
        new(Tensor.FromArray(Enumerable.Range(0, count).Select(i => (float)i).ToArray(), count, 1), Enumerable.Range(0, count).Select(i => i % 3).ToArray());

    [Fact]
    public void Batches_AsADataSource_FollowTheLoadersOrderForThatSeedAndEpoch()
    {
        IDataSource source = Numbers(10);
        var batches = source.Batches(epoch: 2, batchSize: 4, shuffle: true, seed: 3).ToList();
        Assert.Equal([4, 4, 2], batches.Select(b => b.Count));
        // The order of epoch 2 is the loader's permutation for (seed 3, epoch 2): the inputs are the example numbers.
        Assert.Equal(new DataLoader(Numbers(10), 10, seed: 3).Order(2).Select(i => (float)i), batches.SelectMany(b => b.Inputs.ToFloatArray()));
        Assert.All(batches, b => Assert.Equal(b.Inputs.ToFloatArray().Select(v => (int)v % 3), b.Labels!));
    }

    [Fact]
    public void Description_GivesTheExampleShapeClassesAndCount()
    {
        IDataSource images = new Dataset(Tensor.Zeros(5, 3, 4, 2), [0, 1, 0, 1, 0]);
        Assert.Equal([3, 4, 2], images.ExampleShape);
        Assert.Equal(2, images.ClassCount);
        Assert.True(images.IsClassification);
        Assert.Equal(5, images.Count);
        IDataSource targets = new Dataset(Tensor.Zeros(4, 2), Tensor.Zeros(4, 1));
        Assert.Equal(0, targets.ClassCount);
        Assert.False(targets.IsClassification);
    }

    [Fact]
    public void Batches_RejectANegativeEpochAndAnEmptyBatch()
    {
        IDataSource source = Numbers(3);
        Assert.Throws<ArgumentOutOfRangeException>(() => source.Batches(-1, 2, shuffle: false, seed: 0).ToList());
        Assert.Throws<ArgumentOutOfRangeException>(() => source.Batches(0, 0, shuffle: false, seed: 0).ToList());
    }
}
