using Backprop.Optimizers;

namespace Backprop.Tests.Optimizers.Schedules;

public class StepLRTests
{
    [Fact]
    public void Rate_DropsByGammaEveryStepSizeEpochs()
    {
        var schedule = new StepLR(ScheduleTestOptimizer.Create(0.5), stepSize: 3, gamma: 0.1);
        // η(e) = 0.5·0.1^⌊e/3⌋ for e = 0…10.
        double[] expected = [0.5, 0.5, 0.5, 0.05, 0.05, 0.05, 0.005, 0.005, 0.005, 0.0005, 0.0005];
        Assert.Equal(expected, ScheduleTestOptimizer.Rates(schedule, 10), new WorkedExamples.Tolerance(1e-15));
        Assert.Equal(10, schedule.Epoch);
    }

    [Fact]
    public void ZeroStepSize_IsRejectedWithTheValue()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new StepLR(ScheduleTestOptimizer.Create(0.1), stepSize: 0));
        Assert.Contains("StepLR: stepSize must be ≥ 1, got 0", error.Message);
    }
}
