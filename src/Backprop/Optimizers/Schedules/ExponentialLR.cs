namespace Backprop.Optimizers;

/// <summary>Multiplies the learning rate by γ every epoch, as PyTorch's <c>ExponentialLR</c>: η(e) = η₀ · γᵉ.</summary>
/// <example>
/// <code>
/// var schedule = new ExponentialLR(optimizer, gamma: 0.95);
/// </code>
/// </example>
public sealed class ExponentialLR : ClosedFormSchedule
{
    /// <summary>Creates the schedule and sets η(0) = η₀.</summary>
    /// <param name="optimizer">The optimiser to drive.</param>
    /// <param name="gamma">γ &gt; 0, the factor per epoch.</param>
    public ExponentialLR(Optimizer optimizer, double gamma) : base(optimizer)
    {
        Gamma = Positive(gamma, nameof(gamma));
        Start();
    }

    /// <summary>γ.</summary>
    public double Gamma { get; }

    /// <inheritdoc />
    public override double LearningRateAt(int epoch) => BaseLearningRate * Math.Pow(Gamma, epoch);
}
