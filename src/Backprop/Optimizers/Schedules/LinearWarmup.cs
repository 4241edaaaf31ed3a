namespace Backprop.Optimizers;

/// <summary>
/// Linear warm-up, PyTorch's <c>LinearLR</c> with end factor 1: the learning rate starts at η₀ · startFactor and
/// grows linearly to η₀ over <see cref="WarmupEpochs"/> epochs, then stays there:
/// η(e) = η₀ · (s + (1 − s) · min(e, W) / W) with s the start factor and W the warm-up epochs.
/// </summary>
/// <example>
/// <code>
/// var warmup = new LinearWarmup(optimizer, warmupEpochs: 5, startFactor: 0.1);
/// </code>
/// </example>
public sealed class LinearWarmup : ClosedFormSchedule
{
    /// <summary>Creates the schedule and sets η(0) = η₀ · startFactor.</summary>
    /// <param name="optimizer">The optimiser to drive.</param>
    /// <param name="warmupEpochs">W ≥ 1, epochs until the full rate.</param>
    /// <param name="startFactor">s in (0, 1], the fraction of η₀ used in epoch 0.</param>
    public LinearWarmup(Optimizer optimizer, int warmupEpochs, double startFactor) : base(optimizer)
    {
        WarmupEpochs = AtLeast(warmupEpochs, 1, nameof(warmupEpochs));
        StartFactor = startFactor > 0 && startFactor <= 1
            ? startFactor
            : throw new ArgumentOutOfRangeException(nameof(startFactor), startFactor, $"LinearWarmup: startFactor must be in (0, 1], got {startFactor}.");
        Start();
    }

    /// <summary>W.</summary>
    public int WarmupEpochs { get; }

    /// <summary>s.</summary>
    public double StartFactor { get; }

    /// <inheritdoc />
    public override double LearningRateAt(int epoch) =>
        BaseLearningRate * (StartFactor + (1 - StartFactor) * Math.Min(epoch, WarmupEpochs) / WarmupEpochs);
}
