namespace Backprop.Optimizers;

/// <summary>
/// Multiplies the learning rate by γ every <see cref="StepSize"/> epochs, as PyTorch's <c>StepLR</c>:
/// η(e) = η₀ · γ^⌊e / stepSize⌋.
/// </summary>
/// <example>
/// <code>
/// var schedule = new StepLR(optimizer, stepSize: 30, gamma: 0.1);   // 0.1 for epochs 0–29, 0.01 for 30–59, …
/// for (int epoch = 0; epoch &lt; 90; epoch++) { Train(); schedule.Step(); }
/// </code>
/// </example>
public sealed class StepLR : ClosedFormSchedule
{
    /// <summary>Creates the schedule and sets η(0) = η₀.</summary>
    /// <param name="optimizer">The optimiser to drive.</param>
    /// <param name="stepSize">Epochs between decays, ≥ 1.</param>
    /// <param name="gamma">γ &gt; 0, the decay factor.</param>
    public StepLR(Optimizer optimizer, int stepSize, double gamma = 0.1) : base(optimizer)
    {
        StepSize = AtLeast(stepSize, 1, nameof(stepSize));
        Gamma = Positive(gamma, nameof(gamma));
        Start();
    }

    /// <summary>Epochs between decays.</summary>
    public int StepSize { get; }

    /// <summary>γ.</summary>
    public double Gamma { get; }

    /// <inheritdoc />
    public override double LearningRateAt(int epoch) => BaseLearningRate * Math.Pow(Gamma, epoch / StepSize);
}
