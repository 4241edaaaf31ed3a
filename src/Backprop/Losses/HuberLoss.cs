namespace Backprop.Losses;

/// <summary>
/// Huber loss, quadratic near zero and linear beyond <see cref="Delta"/>: for e = prediction − target,
/// ℓ = ½e² when |e| ≤ δ, else δ(|e| − ½δ), as PyTorch's HuberLoss. Written as ½q² + δ(|e| − q) with q = min(|e|, δ),
/// which is both cases at once; its gradient is e inside the band and δ·sign(e) outside.
/// </summary>
/// <param name="delta">δ &gt; 0, where the loss turns linear (default 1, in the target's units: 1 standard deviation for a standardised target).</param>
/// <param name="reduction">Mean (default), Sum, or None.</param>
public sealed class HuberLoss(double delta = 1, Reduction reduction = Reduction.Mean) : Loss
{
    /// <summary>δ, where the loss turns from quadratic to linear.</summary>
    public double Delta { get; } = delta > 0 && double.IsFinite(delta) ? delta
        : throw new ArgumentOutOfRangeException(nameof(delta), delta, $"HuberLoss: delta must be positive and finite, got {delta}.");

    /// <summary>How the per-element losses are combined.</summary>
    public Reduction Reduction { get; } = Known(reduction);

    /// <inheritdoc />
    internal override Reduction? Combination => CombinationOf(Reduction);

    /// <inheritdoc />
    public override Tensor Forward(Tensor prediction, Tensor target)
    {
        RequireSameShape(prediction, target);
        prediction.RequireSameDType(nameof(HuberLoss), target);
        var absolute = (prediction - target).Abs();
        var inside = absolute.Clamp(0, Delta);
        return Reduce(inside * inside * 0.5 + (absolute - inside) * Delta, Reduction);
    }
}
