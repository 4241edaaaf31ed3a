namespace Backprop.Training;

/// <summary>What one epoch of <see cref="ModuleTraining.Fit"/> measured.</summary>
public sealed record EpochResult
{
    /// <summary>1-based epoch number.</summary>
    public required int Epoch { get; init; }

    /// <summary>Mean training loss over the epoch's batches (weighted by batch size).</summary>
    public required double Loss { get; init; }

    /// <summary>Fraction of training examples classified correctly during the epoch; null for regression.</summary>
    public double? Accuracy { get; init; }

    /// <summary>Loss on the validation set after the epoch, if one was given.</summary>
    public double? ValidationLoss { get; init; }

    /// <summary>Accuracy on the validation set after the epoch, if one was given and it has labels.</summary>
    public double? ValidationAccuracy { get; init; }

    /// <summary>The learning rate used during the epoch.</summary>
    public double LearningRate { get; init; }

    /// <summary>Wall time of the epoch (training and validation).</summary>
    public TimeSpan Duration { get; init; }

    /// <summary>Training examples processed per second.</summary>
    public double SamplesPerSecond { get; init; }
}

/// <summary>What one batch of <see cref="ModuleTraining.Fit"/> measured, for progress displays.</summary>
/// <param name="Epoch">1-based epoch number.</param>
/// <param name="Batch">1-based batch number within the epoch.</param>
/// <param name="BatchCount">Batches per epoch; null when the source does not know its size before it is read through.</param>
/// <param name="Loss">This batch's loss.</param>
/// <param name="RunningLoss">Mean loss so far in this epoch.</param>
/// <param name="RunningAccuracy">Accuracy so far in this epoch, for classification.</param>
/// <param name="SamplesPerSecond">Training throughput so far in this epoch.</param>
public sealed record BatchResult(int Epoch, int Batch, int? BatchCount, double Loss, double RunningLoss, double? RunningAccuracy, double SamplesPerSecond);
