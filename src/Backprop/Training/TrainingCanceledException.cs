namespace Backprop.Training;

/// <summary>
/// <see cref="ModuleTraining.Fit(NN.Module, Data.IDataSource, FitOptions, CancellationToken)"/> was cancelled. It stopped
/// after the step it was in, and the model holds the weights of <see cref="WeightsEpoch"/>: the last epoch that
/// completed, or the best one when an early-stopping criterion restores the best weights.
/// </summary>
/// <remarks>
/// An <see cref="OperationCanceledException"/>, so code that handles cancellation the .NET way needs nothing more; catch
/// this type to keep the run: save the model, plot <see cref="History"/>.
/// </remarks>
public sealed class TrainingCanceledException : OperationCanceledException
{
    /// <summary>Creates the exception for a run cancelled through <paramref name="cancellationToken"/>.</summary>
    /// <param name="history">The epochs that completed before the cancellation.</param>
    /// <param name="weightsEpoch">The epoch whose weights the model holds, or null when none completed in this run.</param>
    /// <param name="cancellationToken">The token that was cancelled.</param>
    public TrainingCanceledException(History history, int? weightsEpoch, CancellationToken cancellationToken)
        : base(Describe(history, weightsEpoch), cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(history);
        History = history;
        WeightsEpoch = weightsEpoch;
    }

    /// <summary>The epochs that completed before the cancellation, with <see cref="History.StopReason"/> saying it was cancelled.</summary>
    public History History { get; }

    /// <summary>
    /// The (1-based) epoch whose weights the model holds: the last completed one, or the best one under early stopping;
    /// with <see cref="FitOptions.ResumeFrom"/> and no epoch completed since, the checkpoint's. Null when no epoch had
    /// completed: the model then holds its weights from before <c>Fit</c>.
    /// </summary>
    public int? WeightsEpoch { get; }

    private static string Describe(History history, int? weightsEpoch) => weightsEpoch is int epoch
        ? $"Training was cancelled after {history?.Epochs.Count ?? 0} complete epochs; the model holds the weights of epoch {epoch}."
        : "Training was cancelled before an epoch completed; the model holds the weights it had before Fit.";
}
