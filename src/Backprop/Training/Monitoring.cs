namespace Backprop.Training;

/// <summary>
/// How <see cref="ModuleTraining.Fit"/> reads and compares a <see cref="Metric"/>: early stopping and the best
/// checkpoint share these rules, so they always agree on which epoch was best.
/// </summary>
internal static class Monitoring
{
    /// <summary>The watched value in <paramref name="result"/> (validation, else training), or null when the epoch has none.</summary>
    public static double? ValueIn(this Metric monitor, EpochResult result) => monitor == Metric.ValidationAccuracy
        ? result.ValidationAccuracy ?? result.Accuracy
        : result.ValidationLoss ?? result.Loss;

    /// <summary>
    /// Whether <paramref name="current"/> beats <paramref name="best"/> by more than <paramref name="minDelta"/>. A NaN is never
    /// an improvement (as in Keras's EarlyStopping), so a diverged validation run uses up patience; any number beats
    /// a NaN best, which stands for "none yet".
    /// </summary>
    public static bool Improves(this Metric monitor, double current, double best, double minDelta = 0) =>
        !double.IsNaN(current)
        && (double.IsNaN(best) || (monitor == Metric.ValidationAccuracy ? current > best + minDelta : current < best - minDelta));
}
