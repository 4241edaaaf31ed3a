using System.Globalization;
using Backprop.Training;

namespace Backprop.Cli.Training;

/// <summary>
/// Watches the training loss over a run's first epochs: a loss that has not fallen by the third epoch almost always
/// means a learning rate too large for the network (the steps overshoot and accuracy stays at chance), which a user
/// should hear about at once rather than after the last epoch.
/// </summary>
internal sealed class LossTrend
{
    /// <summary>Epochs of the run before it is judged, the first included.</summary>
    private const int EpochsToJudge = 3;

    /// <summary>The smallest relative fall that counts as learning.</summary>
    private const double SmallestFall = 0.01;

    private double _first = double.NaN;
    private int _firstEpoch;
    private int _seen;

    /// <summary>Records an epoch; returns the warning to show, once, when the loss has not fallen after the first epochs.</summary>
    public string? Observe(EpochResult epoch)
    {
        if (++_seen == 1)
        {
            (_first, _firstEpoch) = (epoch.Loss, epoch.Epoch);
            return null;
        }
        if (_seen != EpochsToJudge || epoch.Loss < _first * (1 - SmallestFall)) return null;
        return string.Create(CultureInfo.InvariantCulture,
            $"warning: loss is not decreasing ({_first:G4} after epoch {_firstEpoch}, {epoch.Loss:G4} after epoch {epoch.Epoch}): try a lower --lr.");
    }
}
