namespace Backprop.Optimizers;

/// <summary>
/// Cosine annealing without restarts (Loshchilov &amp; Hutter, 2017) in the closed form PyTorch's
/// <c>CosineAnnealingLR</c> documents: η(e) = η_min + ½(η₀ − η_min)(1 + cos(π·e / T_max)). The rate reaches η_min at
/// e = T_max and, past it, rises again along the same cosine.
/// </summary>
/// <example>
/// <code>
/// var schedule = new CosineAnnealingLR(optimizer, tMax: 100, etaMin: 1e-5);
/// </code>
/// </example>
public sealed class CosineAnnealingLR : ClosedFormSchedule
{
    /// <summary>Creates the schedule and sets η(0) = η₀.</summary>
    /// <param name="optimizer">The optimiser to drive.</param>
    /// <param name="tMax">T_max ≥ 1, the epochs from η₀ down to η_min.</param>
    /// <param name="etaMin">η_min ≥ 0, the lowest learning rate.</param>
    public CosineAnnealingLR(Optimizer optimizer, int tMax, double etaMin = 0) : base(optimizer)
    {
        TMax = AtLeast(tMax, 1, nameof(tMax));
        EtaMin = NonNegative(etaMin, nameof(etaMin));
        Start();
    }

    /// <summary>T_max.</summary>
    public int TMax { get; }

    /// <summary>η_min.</summary>
    public double EtaMin { get; }

    /// <inheritdoc />
    public override double LearningRateAt(int epoch) =>
        EtaMin + 0.5 * (BaseLearningRate - EtaMin) * (1 + Math.Cos(Math.PI * epoch / TMax));
}
