namespace Backprop.Cli.Training;

/// <summary>Everything <c>backprop train</c> was asked to do, as parsed from its options.</summary>
internal sealed record TrainSettings
{
    public string? Data { get; init; }

    public string? Label { get; init; }

    public required IReadOnlyList<int> Hidden { get; init; }

    public required string Activation { get; init; }

    public required string Loss { get; init; }

    public required string Optimizer { get; init; }

    public double? LearningRate { get; init; }

    /// <summary>Whether the learning rate is annealed along a cosine over the epochs (otherwise constant).</summary>
    public bool CosineSchedule { get; init; }

    public required int Epochs { get; init; }

    public required int BatchSize { get; init; }

    public required int Seed { get; init; }

    public double? ValidationSplit { get; init; }

    public bool StopWhenAllCorrect { get; init; }

    public double? TargetLoss { get; init; }

    public int? Patience { get; init; }

    public required string ModelPath { get; init; }

    /// <summary>Where the curves go; null for no plot.</summary>
    public string? PlotPath { get; init; }

    public bool Diagnose { get; init; }

    public bool Json { get; init; }

    public bool Quiet { get; init; }
}
