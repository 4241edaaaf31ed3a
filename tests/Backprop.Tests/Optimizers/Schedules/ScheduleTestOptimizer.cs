using Backprop.Optimizers;

namespace Backprop.Tests.Optimizers.Schedules;

internal static class ScheduleTestOptimizer
{
    /// <summary>An optimiser whose steps are never taken: schedules only read and write its learning rate.</summary>
    public static Optimizer Create(double learningRate) => new Sgd([Tensor.Zeros(1).RequireGrad()], learningRate);

    /// <summary>The learning rate before the first Step() and after each of <paramref name="epochs"/> Step() calls.</summary>
    public static double[] Rates(LearningRateSchedule schedule, int epochs)
    {
        var rates = new double[epochs + 1];
        rates[0] = schedule.Optimizer.LearningRate;
        for (int e = 1; e <= epochs; e++)
        {
            schedule.Step();
            rates[e] = schedule.Optimizer.LearningRate;
        }
        return rates;
    }
}
