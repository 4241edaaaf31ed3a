using Backprop.Data;
using Backprop.IO;
using Backprop.Losses;
using Backprop.Optimizers;

namespace Backprop.Training;

/// <summary>Settings of <see cref="ModuleTraining.Fit"/>, in the manner of Keras's <c>model.fit</c>.</summary>
public sealed class FitOptions
{
    /// <summary>The most epochs to train (≥ 1). Default 10.</summary>
    public int Epochs { get; init; } = 10;

    /// <summary>Examples per mini-batch (≥ 1). Default 32.</summary>
    public int BatchSize { get; init; } = 32;

    /// <summary>The loss to minimise. Required.</summary>
    public Loss? Loss { get; init; }

    /// <summary>The optimiser, built on the model's parameters. Required.</summary>
    public Optimizer? Optimizer { get; init; }

    /// <summary>
    /// Examples evaluated after each epoch (never trained on), in batches of <see cref="BatchSize"/>: the pass reuses the
    /// training step's buffers, so validating adds no memory of its own.
    /// </summary>
    public IDataSource? Validation { get; init; }

    /// <summary>Extra stopping criteria; the epoch limit always applies, and a non-finite loss always stops.</summary>
    public Stop? StopWhen { get; init; }

    /// <summary>Whether to reshuffle the training examples every epoch. Default true.</summary>
    public bool Shuffle { get; init; } = true;

    /// <summary>Seed of the shuffling. Default 0.</summary>
    public int Seed { get; init; }

    /// <summary>Called after every batch (progress displays).</summary>
    public Action<BatchResult>? OnBatchEnd { get; init; }

    /// <summary>Called after every epoch, with that epoch's results.</summary>
    public Action<EpochResult>? OnEpochEnd { get; init; }

    /// <summary>
    /// When set, the gradients are clipped to this joint L2 norm after every backward pass and before the
    /// optimiser's step (<see cref="GradientClipping.ClipGradNorm"/> over the optimiser's parameters:
    /// g ← g·N/(‖g‖ + 10⁻⁶) when ‖g‖ &gt; N), the cure for exploding gradients. Finite and &gt; 0; null (the default) clips nothing.
    /// </summary>
    public double? ClipGradNorm { get; init; }

    /// <summary>Called after every optimiser step, e.g. to feed a <see cref="Diagnostics.GradientFlowMonitor"/>.</summary>
    public Action? OnStep { get; init; }

    /// <summary>
    /// A folder for checkpoints (see <see cref="Checkpoint"/>), created if needed: <c>last.safetensors</c> every
    /// <see cref="CheckpointEvery"/> epochs and <c>best.safetensors</c> whenever <see cref="CheckpointMonitor"/>
    /// improves. Null (the default) saves nothing.
    /// </summary>
    public string? CheckpointDirectory { get; init; }

    /// <summary>
    /// What the model's inputs and outputs mean, recorded in every checkpoint as in a model file saved with it, so a
    /// checkpoint can be used as the model it holds (the <c>backprop</c> tool's evaluate and predict read it). Null (the
    /// default) records none.
    /// </summary>
    public ModelDescription? CheckpointDescription { get; init; }

    /// <summary>Epochs between saves of <c>last.safetensors</c> (≥ 1; 0 saves only the best). Default 1.</summary>
    public int CheckpointEvery { get; init; } = 1;

    /// <summary>What makes a checkpoint the best: validation loss (lower) or accuracy (higher), falling back to the training values without a validation set. Default validation loss.</summary>
    public Metric CheckpointMonitor { get; init; } = Metric.ValidationLoss;

    /// <summary>
    /// A checkpoint to continue from: the model's weights and the optimiser's state are loaded from it and
    /// training continues with the epoch after the one it was saved at, up to <see cref="Epochs"/> in total.
    /// With the same data, seed and options the result is bit-identical to training that never stopped.
    /// Early-stopping patience starts afresh.
    /// </summary>
    public string? ResumeFrom { get; init; }

    /// <summary>Called once per epoch before its first batch, e.g. to apply a learning-rate schedule; receives the 1-based epoch.</summary>
    public Action<int>? OnEpochStart { get; init; }

    /// <summary>
    /// Receives each epoch's result, on the training thread, right after <see cref="OnEpochEnd"/>. <see cref="System.Progress{T}"/>
    /// forwards it to the synchronization context it was made on (a UI thread; the thread pool in a console app, where the
    /// lines may come after <c>Fit</c> returns).
    /// </summary>
    public IProgress<EpochResult>? Progress { get; init; }

    /// <summary>
    /// Receives a summary of every epoch (Information, event 1), why training stopped (Information, event 2), a warning when
    /// the loss stopped being a number (event 3), and the restoring of the best weights (event 4). Null (the default) logs nothing.
    /// </summary>
    public Microsoft.Extensions.Logging.ILogger? Logger { get; init; }
}
