using Backprop.Optimizers;

namespace Backprop.Tests.Optimizers.Schedules;

public class ReduceLROnPlateauTests
{
    [Fact]
    public void Rate_DropsAfterPatienceBadEpochsAndWaitsOutTheCooldown()
    {
        var optimizer = ScheduleTestOptimizer.Create(1.0);
        var schedule = new ReduceLROnPlateau(optimizer, PlateauMode.Min, factor: 0.5, patience: 2, cooldown: 2, minLr: 0.2);
        // Hand-traced with PyTorch's rules (bad > patience = 2 cuts; cooldown 2 zeroes the bad count for 2 epochs):
        // epoch  metric  best  bad  cooldown  rate
        //   1    10      10    0    0         1
        //   2    9       9     0    0         1
        //   3    9       9     1    0         1      (equal is not an improvement)
        //   4    9.5     9     2    0         1
        //   5    9.2     9     3→0  0→2       0.5    (cut)
        //   6    9.3     9     1→0  2→1       0.5    (cooldown)
        //   7    9.3     9     1→0  1→0       0.5    (cooldown)
        //   8    9.4     9     1    0         0.5
        //   9    9.4     9     2    0         0.5
        //  10    9.4     9     3→0  →2        0.25   (cut)
        //  11    8       8     0    2→1       0.25
        //  12    8       8     1→0  1→0       0.25   (8 is not below 8·(1 − 1e-4))
        //  13    8       8     1    0         0.25
        //  14    8       8     2    0         0.25
        //  15    8       8     3→0  →2        0.2    (cut to 0.125, clamped to minLr)
        double[] metrics = [10, 9, 9, 9.5, 9.2, 9.3, 9.3, 9.4, 9.4, 9.4, 8, 8, 8, 8, 8];
        double[] expected = [1, 1, 1, 1, 0.5, 0.5, 0.5, 0.5, 0.5, 0.25, 0.25, 0.25, 0.25, 0.25, 0.2];
        var rates = metrics.Select(m => { schedule.Step(m); return optimizer.LearningRate; }).ToArray();
        Assert.Equal(expected, rates);
        Assert.Equal(8, schedule.Best);
    }

    [Fact]
    public void MaxMode_UsesTheRelativeThreshold()
    {
        var optimizer = ScheduleTestOptimizer.Create(1.0);
        var schedule = new ReduceLROnPlateau(optimizer, PlateauMode.Max, factor: 0.1, patience: 0, threshold: 0.1);
        // Improvement needs a > best·1.1: 1 (best 1), 1.05 (not > 1.1: cut to 0.1), 1.2 (best 1.2), 1.3 (not > 1.32: cut to 0.01).
        schedule.Step(1);
        Assert.Equal(1.0, optimizer.LearningRate);
        schedule.Step(1.05);
        Assert.Equal(0.1, optimizer.LearningRate, 1e-15);
        schedule.Step(1.2);
        Assert.Equal(0.1, optimizer.LearningRate, 1e-15);
        schedule.Step(1.3);
        Assert.Equal(0.01, optimizer.LearningRate, 1e-15);
    }

    [Fact]
    public void StepWithoutMetric_AndFactorOfOne_AreRejected()
    {
        var schedule = new ReduceLROnPlateau(ScheduleTestOptimizer.Create(0.1));
        Assert.Throws<InvalidOperationException>(schedule.Step);
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new ReduceLROnPlateau(ScheduleTestOptimizer.Create(0.1), factor: 1));
        Assert.Contains("ReduceLROnPlateau: factor must be in [0, 1), got 1", error.Message);
    }
}
