using Backprop.Data;

namespace Backprop.Tests.Data;

/// <summary>A validation fraction that holds out every row is said to be one, instead of failing later as an empty fit.</summary>
public class SplitNoTrainingRowsTests
{
    [Fact]
    public void Stratified_ThatLeavesNoTrainingRow_NamesTheFractionAndTheRows()
    {
        // 3 classes of 50: round(50 × 0.999) = 50 held out of each.
        int[] labels = [.. Enumerable.Range(0, 150).Select(i => i % 3)];

        var error = Assert.Throws<ArgumentOutOfRangeException>(() => Split.Stratified(labels, 0.999, seed: 0));
        Assert.StartsWith("A validation fraction of 0.999 holds out all 150 rows: no training rows are left; use a smaller fraction.", error.Message);
    }

    [Fact]
    public void Shuffled_ThatLeavesNoTrainingRow_IsRefused_ButOneRowLeftIsFine()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Split.Shuffled(10, 0.96, seed: 0));
        // round(10 × 0.94) = 9 held out, 1 to train on.
        Assert.Single(Split.Shuffled(10, 0.94, seed: 0).Train);
    }
}
