using Microsoft.Extensions.Logging;

namespace Backprop.Training;

/// <summary>
/// What <see cref="ModuleTraining.Fit"/> tells the application beyond its callbacks: each epoch's result to
/// <see cref="FitOptions.Progress"/>, and epoch summaries, the stop reason and warnings to <see cref="FitOptions.Logger"/>
/// (event ids 1–4, category as the logger was made), as .NET libraries report through <c>IProgress&lt;T&gt;</c> and <c>ILogger</c>.
/// </summary>
internal static partial class FitReporting
{
    public static void EpochEnded(FitOptions options, EpochResult result)
    {
        options.Progress?.Report(result);
        if (options.Logger is { } logger)
            LogEpoch(logger, result.Epoch, options.Epochs, result.Loss, result.Accuracy, result.ValidationLoss, result.ValidationAccuracy,
                result.LearningRate, result.SamplesPerSecond, result.Duration.TotalSeconds);
    }

    /// <summary>Logs why training ended: a warning when the loss stopped being a number (<paramref name="diverged"/>).</summary>
    public static void Finished(FitOptions options, History history, bool diverged)
    {
        if (options.Logger is not { } logger) return;
        if (diverged) LogNonFinite(logger, history.StopReason);
        else LogStopped(logger, history.Epochs.Count == 0 ? 0 : history.Epochs[^1].Epoch, history.StopReason, history.Duration.TotalSeconds);
        if (history.RestoredEpoch is int restored) LogRestored(logger, restored);
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Information,
        Message = "Epoch {Epoch}/{Epochs}: loss {Loss:G5}, accuracy {Accuracy:G4}, validation loss {ValidationLoss:G5}, validation accuracy {ValidationAccuracy:G4}, learning rate {LearningRate:G4}, {SamplesPerSecond:F0} samples/s, {Seconds:F2} s")]
    private static partial void LogEpoch(ILogger logger, int epoch, int epochs, double loss, double? accuracy, double? validationLoss, double? validationAccuracy,
        double learningRate, double samplesPerSecond, double seconds);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "Training stopped after epoch {Epoch}: {Reason} ({Seconds:F1} s in all)")]
    private static partial void LogStopped(ILogger logger, int epoch, string reason, double seconds);

    [LoggerMessage(EventId = 3, Level = LogLevel.Warning, Message = "Training stopped: {Reason}")]
    private static partial void LogNonFinite(ILogger logger, string reason);

    [LoggerMessage(EventId = 4, Level = LogLevel.Information, Message = "Restored the weights of epoch {Epoch}, the best one")]
    private static partial void LogRestored(ILogger logger, int epoch);
}
