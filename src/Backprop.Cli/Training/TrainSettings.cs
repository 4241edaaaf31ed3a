using Backprop.Cli.Data;
using Backprop.Cli.Models;
using Backprop.Data;

namespace Backprop.Cli.Training;

/// <summary>Everything <c>backprop train</c> was asked to do, as parsed from its options, with the architecture's defaults filled in.</summary>
internal sealed record TrainSettings
{
    public string? Data { get; init; }

    /// <summary><c>mlp</c> or <c>cnn</c>.</summary>
    public required string Architecture { get; init; }

    public required IReadOnlyList<int> Hidden { get; init; }

    /// <summary>The two convolutions' output channels (CNN only).</summary>
    public required IReadOnlyList<int> Channels { get; init; }

    /// <summary>Activation, initialisation, dropout and batch normalisation.</summary>
    public required Layers Layers { get; init; }

    /// <summary>auto, cross-entropy, mse, mae or huber; the session resolves auto once it knows the task.</summary>
    public required string Loss { get; init; }

    /// <summary>How a CSV table is read and preprocessed.</summary>
    public TableOptions Table { get; init; } = new();

    public required string Optimizer { get; init; }

    /// <summary>Whether <c>--optimizer</c> was given; when not, a regression uses <see cref="RegressionOptimizer"/>.</summary>
    public bool OptimizerGiven { get; init; }

    /// <summary>
    /// Regression's default optimiser: SGD with momentum at the classification rate diverges on a squared error (whose
    /// gradient, unlike softmax cross-entropy's, grows with the error), and Adam is what scikit-learn's MLPRegressor uses.
    /// </summary>
    public const string RegressionOptimizer = "adam";

    public double? LearningRate { get; init; }

    /// <summary>λ of the optimiser's weight decay; null for its default.</summary>
    public double? WeightDecay { get; init; }

    /// <summary>The largest joint gradient norm per step; null for no clipping.</summary>
    public double? ClipNorm { get; init; }

    /// <summary>One of <see cref="ScheduleChoice.Descriptions"/>' keys.</summary>
    public required string Schedule { get; init; }

    public required int Epochs { get; init; }

    public required int BatchSize { get; init; }

    public required int Seed { get; init; }

    public double? ValidationSplit { get; init; }

    /// <summary>Train on the first this many examples only; null for all.</summary>
    public int? Limit { get; init; }

    public bool StopWhenAllCorrect { get; init; }

    public double? TargetLoss { get; init; }

    public int? Patience { get; init; }

    /// <summary>Where checkpoints go (<c>last.safetensors</c> each epoch, <c>best.safetensors</c>); null for none.</summary>
    public string? CheckpointDirectory { get; init; }

    /// <summary>A checkpoint to continue from; null to start afresh.</summary>
    public string? ResumeFrom { get; init; }

    public required string ModelPath { get; init; }

    /// <summary>Where the curves go; null for no plot.</summary>
    public string? PlotPath { get; init; }

    public bool Diagnose { get; init; }

    public bool Json { get; init; }

    public bool Quiet { get; init; }

    /// <summary>How to prepare an image folder (size, colour mode, augmentation, bad files).</summary>
    public ImageSettings Images { get; init; } = ImageSettings.None;
}
