using Backprop.Optimizers;

namespace Backprop.Tests.Optimizers.Schedules;

public class ExponentialLRTests
{
    [Fact]
    public void Rate_IsBaseTimesGammaToTheEpoch()
    {
        var schedule = new ExponentialLR(ScheduleTestOptimizer.Create(0.2), gamma: 0.5);
        // η(e) = 0.2·0.5ᵉ: 0.2, 0.1, 0.05, …
        var expected = Enumerable.Range(0, 11).Select(e => 0.2 * Math.Pow(0.5, e)).ToArray();
        Assert.Equal(expected, ScheduleTestOptimizer.Rates(schedule, 10), new WorkedExamples.Tolerance(1e-17));
        Assert.Equal(0.1, expected[1]);
    }

    [Fact]
    public void NegativeGamma_IsRejectedWithTheValue()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new ExponentialLR(ScheduleTestOptimizer.Create(0.1), gamma: -0.5));
        Assert.Contains("ExponentialLR: gamma must be a finite number > 0, got -0.5", error.Message);
    }
}
