using Backprop.Data;

namespace Backprop.Tests.Data;

public class SplitTests
{
    private static readonly int[] WineLabels = CsvTable.Load(RepoPaths.Data("wine", "wine.csv")).Labels!;

    [Fact]
    public void Stratified_Wine_KeepsEachClassProportionWithinOneExample()
    {
        var split = Split.Stratified(WineLabels, validationFraction: 0.25, seed: 1);

        Assert.Equal(178, split.Train.Length + split.Validation.Length);
        Assert.Equal(Enumerable.Range(0, 178), split.Train.Concat(split.Validation).Order());
        // Wine class sizes 59/71/48 (UCI description); a quarter of each is 14.75, 17.75, 12.
        int[] classSizes = [59, 71, 48];
        for (int c = 0; c < 3; c++)
        {
            int held = split.Validation.Count(row => WineLabels[row] == c);
            Assert.InRange(held, classSizes[c] * 0.25 - 1, classSizes[c] * 0.25 + 1);
        }
    }

    [Fact]
    public void Stratified_SameSeed_GivesTheSameSplit()
    {
        var first = Split.Stratified(WineLabels, 0.2, seed: 42);
        var second = Split.Stratified(WineLabels, 0.2, seed: 42);

        Assert.Equal(first.Train, second.Train);
        Assert.Equal(first.Validation, second.Validation);
    }

    [Fact]
    public void Stratified_AnotherSeed_GivesAnotherSplit()
    {
        var first = Split.Stratified(WineLabels, 0.2, seed: 42);
        var second = Split.Stratified(WineLabels, 0.2, seed: 43);

        Assert.NotEqual(first.Validation, second.Validation);
        Assert.Equal(first.Validation.Length, second.Validation.Length);
    }

    [Fact]
    public void Shuffled_HoldsOutTheRoundedFractionOfRows()
    {
        var split = Split.Shuffled(count: 10, validationFraction: 0.25, seed: 3);

        // 10 × 0.25 = 2.5 rounds away from zero to 3.
        Assert.Equal(3, split.Validation.Length);
        Assert.Equal(Enumerable.Range(0, 10), split.Train.Concat(split.Validation).Order());
        Assert.Equal(split.Validation, Split.Shuffled(10, 0.25, seed: 3).Validation);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(1.0)]
    [InlineData(double.NaN)]
    public void Stratified_FractionOutsideOpenUnitInterval_IsRejected(double fraction)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => Split.Stratified([0, 1], fraction, seed: 0));

        Assert.Contains("strictly between 0 and 1", error.Message);
    }
}
