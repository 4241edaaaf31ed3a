using Backprop.Optimizers;

namespace Backprop.Tests.Optimizers.Schedules;

public class CosineAnnealingLRTests
{
    [Fact]
    public void Rate_FollowsTheClosedFormCosine()
    {
        var schedule = new CosineAnnealingLR(ScheduleTestOptimizer.Create(0.1), tMax: 8, etaMin: 0.01);
        // η(e) = η_min + ½(η0 − η_min)(1 + cos(πe/T)) with η0 = 0.1, η_min = 0.01, T = 8; e = 4 gives the midpoint 0.055,
        // e = 8 gives η_min, and past T the cosine rises again (e = 10 equals e = 6).
        var expected = Enumerable.Range(0, 11).Select(e => 0.01 + 0.5 * (0.1 - 0.01) * (1 + Math.Cos(Math.PI * e / 8))).ToArray();
        var rates = ScheduleTestOptimizer.Rates(schedule, 10);
        Assert.Equal(expected, rates, new WorkedExamples.Tolerance(1e-15));
        Assert.Equal(0.055, rates[4], 1e-15);
        Assert.Equal(0.01, rates[8], 1e-15);
        Assert.Equal(rates[6], rates[10], 1e-15);
    }

    [Fact]
    public void NegativeEtaMin_IsRejectedWithTheValue()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new CosineAnnealingLR(ScheduleTestOptimizer.Create(0.1), 10, etaMin: -1e-3));
        Assert.Contains("CosineAnnealingLR: etaMin must be a finite number ≥ 0, got -0.001", error.Message);
    }
}
