using Backprop.Cli.Data;
using Backprop.Cli.Models;

namespace Backprop.Cli.Training;

/// <summary>Everything <c>backprop train</c> was asked to do, as parsed from its options, with the architecture's defaults filled in.</summary>
internal sealed record TrainSettings
{
    public string? Data { get; init; }

    public string? Label { get; init; }

    /// <summary><c>mlp</c> or <c>cnn</c>.</summary>
    public required string Architecture { get; init; }

    public required IReadOnlyList<int> Hidden { get; init; }

    /// <summary>The two convolutions' output channels (CNN only).</summary>
    public required IReadOnlyList<int> Channels { get; init; }

    /// <summary>Activation, initialisation, dropout and batch normalisation.</summary>
    public required Layers Layers { get; init; }

    public required string Loss { get; init; }

    public required string Optimizer { get; init; }

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
