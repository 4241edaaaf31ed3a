namespace Backprop.Training;

/// <summary>A quantity that early stopping and the best checkpoint watch, read from each epoch's <see cref="EpochResult"/>.</summary>
public enum Metric
{
    /// <summary>Validation loss (lower is better); falls back to training loss without a validation set.</summary>
    ValidationLoss,

    /// <summary>Validation accuracy (higher is better); falls back to training accuracy.</summary>
    ValidationAccuracy,
}
