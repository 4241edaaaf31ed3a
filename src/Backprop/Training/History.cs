namespace Backprop.Training;

/// <summary>The record of a <see cref="ModuleTraining.Fit"/> run: one <see cref="EpochResult"/> per epoch, and why it stopped.</summary>
public sealed class History
{
    private readonly List<EpochResult> _epochs = [];

    /// <summary>The epochs, in order.</summary>
    public IReadOnlyList<EpochResult> Epochs => _epochs;

    /// <summary>Why training ended, e.g. "all 4 training examples classified correctly" or "reached 10 epochs".</summary>
    public string StopReason { get; internal set; } = "";

    /// <summary>Whether a stopping criterion (not the epoch limit) ended training.</summary>
    public bool StoppedEarly { get; internal set; }

    /// <summary>
    /// Whether training stopped because a batch's loss was NaN or infinite (<see cref="StopReason"/> says where); the
    /// model then holds the weights that produced it, which are rarely worth saving.
    /// </summary>
    public bool Diverged { get; internal set; }

    /// <summary>The epoch whose weights the model holds when early stopping restored the best ones, or a cancelled run put back an epoch's; otherwise null.</summary>
    public int? RestoredEpoch { get; internal set; }

    /// <summary>Total wall time.</summary>
    public TimeSpan Duration { get; internal set; }

    /// <summary>Training loss per epoch.</summary>
    public IReadOnlyList<double> Loss => _epochs.Select(e => e.Loss).ToArray();

    /// <summary>Validation loss per epoch (empty without a validation set).</summary>
    public IReadOnlyList<double> ValidationLoss => _epochs.Where(e => e.ValidationLoss.HasValue).Select(e => e.ValidationLoss!.Value).ToArray();

    internal void Add(EpochResult epoch) => _epochs.Add(epoch);
}
