using Backprop.Data;

namespace Backprop.Tests.Tensors;

public class SplitMix64Tests
{
    [Fact]
    public void Next_FromSeed1234567_GivesThePublishedSequence()
    {
        var random = new SplitMix64(1234567);

        // The first outputs of Vigna's reference splitmix64.c for seed 1234567.
        Assert.Equal([6457827717110365317UL, 3203168211198807973UL, 9817491932198370423UL], [random.Next(), random.Next(), random.Next()]);
    }

    [Fact]
    public void ForEpoch_Shuffles_AsDataLoaderOrdersAnEpoch()
    {
        int[] order = [.. Enumerable.Range(0, 12)];
        SplitMix64.ForEpoch(seed: 5, epoch: 2).Shuffle(order);

        // From a 12-line Python SplitMix64 seeded with 5·1,000,003 + 2 and Fisher–Yates with j = ⌊next·(i+1) / 2^64⌋.
        Assert.Equal([2, 1, 3, 4, 10, 9, 8, 11, 6, 5, 0, 7], order);
        var dataset = new Dataset(Tensor.Zeros(12, 1), new int[12]);
        Assert.Equal(order, new DataLoader(dataset, batchSize: 4, seed: 5).Order(2));
    }

    [Fact]
    public void Next_OfNoPossibleValues_SaysWhatItGot()
    {
        var random = new SplitMix64(1);

        var error = Assert.Throws<ArgumentOutOfRangeException>(() => random.Next(0));

        Assert.Contains("0", error.Message);
    }
}
