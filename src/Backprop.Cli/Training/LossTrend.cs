using System.Globalization;
using Backprop.Training;

namespace Backprop.Cli.Training;

/// <summary>
/// Watches the training loss over a run's first epochs. A loss that grew, or a cross-entropy still above that of guessing
/// the class frequencies after having been far above it (a run at chance: its loss may have fallen from a huge first
/// epoch and still have learnt nothing), almost always means a learning rate too large for the network; a loss that
/// stays flat without ever overshooting means one too small, or gradients that vanish. A user should hear about either
/// at once rather than after the last epoch.
/// </summary>
/// <param name="chanceLoss">The cross-entropy of predicting every class with its share of the training labels,
/// −Σ p·ln p; null where it does not apply (mse, no labels).</param>
internal sealed class LossTrend(double? chanceLoss)
{
    /// <summary>Epochs of the run before it is judged, the first included.</summary>
    private const int EpochsToJudge = 3;

    /// <summary>The smallest relative fall that counts as learning.</summary>
    private const double SmallestFall = 0.01;

    /// <summary>How far above chance a loss must have been to count as overshooting.</summary>
    private const double Overshoot = 1.5;

    private double _first = double.NaN;
    private double _highest = double.NegativeInfinity;
    private int _firstEpoch;
    private int _seen;

    /// <summary>The cross-entropy of guessing each class with its frequency among <paramref name="labels"/>.</summary>
    public static double ChanceLoss(IReadOnlyCollection<int> labels) =>
        -labels.GroupBy(label => label).Select(group => (double)group.Count() / labels.Count).Sum(share => share * Math.Log(share));

    /// <summary>Records an epoch; returns the warning to show, once, when the loss has not fallen after the first epochs.</summary>
    public string? Observe(EpochResult epoch)
    {
        if (++_seen == 1) (_first, _firstEpoch) = (epoch.Loss, epoch.Epoch);
        _highest = Math.Max(_highest, epoch.Loss);
        if (_seen != EpochsToJudge) return null;
        bool overshot = !(epoch.Loss <= _first) || chanceLoss is double limit && _highest > Overshoot * limit;
        if (!(epoch.Loss < _first * (1 - SmallestFall)))
        {
            return Invariant($"warning: loss is not decreasing ({_first:G4} after epoch {_firstEpoch}, {epoch.Loss:G4} after epoch {epoch.Epoch}): ")
                + (overshot ? "try a lower --lr." : "try a higher --lr, or look for vanishing gradients with --diagnose.");
        }
        if (chanceLoss is double chance && !(epoch.Loss < chance) && overshot)
            return Invariant($"warning: loss is not decreasing below chance ({epoch.Loss:G4} after epoch {epoch.Epoch}, after {_highest:G4}; guessing the class frequencies gives {chance:G4}): try a lower --lr.");
        return null;
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
