using Backprop.Optimizers;

namespace Backprop.Tests.Optimizers.Schedules;

public class LinearWarmupTests
{
    [Fact]
    public void Rate_RisesLinearlyFromTheStartFactorThenHolds()
    {
        var optimizer = ScheduleTestOptimizer.Create(0.1);
        var schedule = new LinearWarmup(optimizer, warmupEpochs: 4, startFactor: 0.2);
        // η(e) = 0.1·(0.2 + 0.8·min(e, 4)/4): 0.02 at construction (as PyTorch's LinearLR), +0.02 per epoch, 0.1 from e = 4.
        double[] expected = [0.02, 0.04, 0.06, 0.08, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1];
        Assert.Equal(expected, ScheduleTestOptimizer.Rates(schedule, 10), new WorkedExamples.Tolerance(1e-15));
    }

    [Fact]
    public void WarmupThenCosine_ChainsOnOneBaseRate()
    {
        var optimizer = ScheduleTestOptimizer.Create(0.1);
        var warmup = new LinearWarmup(optimizer, warmupEpochs: 3, startFactor: 0.1);
        var cosine = new CosineAnnealingLR(optimizer, tMax: 6);
        var schedule = new SequentialSchedule(optimizer, [warmup, cosine], milestones: [3]);
        // Epochs 0–2: 0.1·(0.1 + 0.9e/3) = 0.01, 0.04, 0.07; from epoch 3 the cosine's own epoch e − 3:
        // 0.05·(1 + cos(π(e − 3)/6)), so 0.1 at e = 3 and 0 at e = 9. Both schedules use η0 = 0.1 although the
        // warm-up had already set the rate to 0.01 when the cosine was built.
        var expected = Enumerable.Range(0, 11)
            .Select(e => e < 3 ? 0.1 * (0.1 + 0.9 * e / 3) : 0.05 * (1 + Math.Cos(Math.PI * (e - 3) / 6))).ToArray();
        Assert.Equal(0.1, cosine.BaseLearningRate);
        Assert.Equal(expected, ScheduleTestOptimizer.Rates(schedule, 10), new WorkedExamples.Tolerance(1e-15));
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(1.5)]
    public void StartFactorOutsideZeroToOne_IsRejectedWithTheValue(double startFactor)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new LinearWarmup(ScheduleTestOptimizer.Create(0.1), 5, startFactor));
        Assert.Contains($"LinearWarmup: startFactor must be in (0, 1], got {startFactor}", error.Message);
    }

    [Fact]
    public void SequentialMilestones_MustMatchTheSchedules()
    {
        var optimizer = ScheduleTestOptimizer.Create(0.1);
        var warmup = new LinearWarmup(optimizer, 3, 0.1);
        var error = Assert.Throws<ArgumentException>(() => new SequentialSchedule(optimizer, [warmup, new ExponentialLR(optimizer, 0.9)], []));
        Assert.Contains("got 2 schedules and 0 milestones", error.Message);
        var other = new LinearWarmup(ScheduleTestOptimizer.Create(0.1), 3, 0.1);
        Assert.Throws<ArgumentException>(() => new SequentialSchedule(optimizer, [warmup, other], [3]));
    }
}
