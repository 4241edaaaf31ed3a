namespace Backprop.Training;

/// <summary>
/// Stopping criteria for <see cref="ModuleTraining.Fit"/>, combinable with <c>|</c>: training stops when any
/// of them holds (the epoch limit of <see cref="FitOptions.Epochs"/> always applies).
/// </summary>
/// <example>
/// <code>StopWhen = Stop.AllCorrect | Stop.LossBelow(0.01) | Stop.NoImprovement(patience: 3)</code>
/// </example>
public sealed class Stop
{
    private readonly IReadOnlyList<Criterion> _criteria;

    private Stop(IReadOnlyList<Criterion> criteria) => _criteria = criteria;

    /// <summary>Stop once every training example is classified correctly (checked with the weights at the end of each epoch).</summary>
    public static Stop AllCorrect { get; } = new([new Criterion(CriterionKind.AllCorrect, 0, 0, Metric.ValidationLoss, 0, false)]);

    /// <summary>Stop once the epoch's mean training loss is below <paramref name="target"/>.</summary>
    public static Stop LossBelow(double target) => double.IsFinite(target)
        ? new([new Criterion(CriterionKind.LossBelow, target, 0, Metric.ValidationLoss, 0, false)])
        : throw new ArgumentOutOfRangeException(nameof(target), target, "Stop.LossBelow: the target must be finite.");

    /// <summary>
    /// Early stopping: stop when <paramref name="monitor"/> has not improved by more than <paramref name="minDelta"/>
    /// for <paramref name="patience"/> epochs, and (by default) put back the weights of the best epoch.
    /// </summary>
    public static Stop NoImprovement(int patience, Metric monitor = Metric.ValidationLoss, double minDelta = 0, bool restoreBestWeights = true)
    {
        if (patience < 1) throw new ArgumentOutOfRangeException(nameof(patience), patience, $"Stop.NoImprovement: patience must be ≥ 1, got {patience}.");
        if (!(minDelta >= 0)) throw new ArgumentOutOfRangeException(nameof(minDelta), minDelta, $"Stop.NoImprovement: minDelta must be ≥ 0, got {minDelta}.");
        return new([new Criterion(CriterionKind.NoImprovement, 0, patience, monitor, minDelta, restoreBestWeights)]);
    }

    /// <summary>Either criterion ends training.</summary>
    public static Stop operator |(Stop left, Stop right)
    {
        ArgumentNullException.ThrowIfNull(left);
        ArgumentNullException.ThrowIfNull(right);
        return new([.. left._criteria, .. right._criteria]);
    }

    internal IReadOnlyList<Criterion> Criteria => _criteria;

    internal enum CriterionKind { AllCorrect, LossBelow, NoImprovement }

    internal sealed record Criterion(CriterionKind Kind, double Target, int Patience, Metric Metric, double MinDelta, bool RestoreBestWeights);
}
