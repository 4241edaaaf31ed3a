using Backprop.Cli.Training;
using Backprop.Training;

namespace Backprop.Cli.Tests.Training;

/// <summary>The warnings about a loss that does not fall, from hand-made epochs.</summary>
public class LossTrendTests
{
    [Fact]
    public void ChanceLoss_IsTheEntropyOfTheClassShares()
    {
        // Two equal classes: −2·½·ln ½ = ln 2; shares ¾ and ¼: −(¾ ln ¾ + ¼ ln ¼) = 0.5623351446.
        Assert.Equal(Math.Log(2), LossTrend.ChanceLoss([0, 1, 0, 1]), 12);
        Assert.Equal(0.5623351446188083, LossTrend.ChanceLoss([0, 0, 0, 1]), 12);
    }

    [Theory]
    // Rising: too large a step.
    [InlineData(new[] { 1.0, 5.0, 9.0 }, "warning: loss is not decreasing (1 after epoch 1, 9 after epoch 3): try a lower --lr.")]
    // Flat and never above chance (ln 3 ≈ 1.0986): too small a step, or vanishing gradients.
    [InlineData(new[] { 1.0990, 1.0989, 1.0988 }, "warning: loss is not decreasing (1.099 after epoch 1, 1.099 after epoch 3): try a higher --lr, or look for vanishing gradients with --diagnose.")]
    // Fallen from far above chance to still above it: at chance.
    [InlineData(new[] { 900.0, 20.0, 1.5 }, "warning: loss is not decreasing below chance (1.5 after epoch 3, after 900; guessing the class frequencies gives 1.099): try a lower --lr.")]
    // Learning: no warning.
    [InlineData(new[] { 1.0, 0.7, 0.5 }, null)]
    public void ThirdEpoch_IsJudged_Once(double[] losses, string? expected)
    {
        var trend = new LossTrend(Math.Log(3));
        string?[] warnings = [.. losses.Select((loss, i) => trend.Observe(new EpochResult { Epoch = i + 1, Loss = loss })), trend.Observe(new EpochResult { Epoch = 4, Loss = 50 })];

        Assert.Equal<IEnumerable<string?>>([null, null, expected, null], warnings);
    }
}
