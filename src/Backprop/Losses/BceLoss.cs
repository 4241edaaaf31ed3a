namespace Backprop.Losses;

/// <summary>
/// Binary cross-entropy of probabilities (e.g. a Sigmoid output) against targets in [0, 1]:
/// −(t·log p + (1 − t)·log(1 − p)), logs clamped at −100 as PyTorch's <c>BCELoss</c>.
/// </summary>
/// <param name="reduction">Mean (default), Sum, or None.</param>
public sealed class BceLoss(Reduction reduction = Reduction.Mean) : Loss
{
    /// <summary>How the per-element losses are combined.</summary>
    public Reduction Reduction { get; } = Known(reduction);

    /// <inheritdoc />
    internal override Reduction? Combination => CombinationOf(Reduction);

    /// <inheritdoc />
    /// <exception cref="ArgumentException">Shapes differ, or a prediction lies outside [0, 1].</exception>
    public override Tensor Forward(Tensor prediction, Tensor target)
    {
        RequireSameShape(prediction, target);
        return Reduce(Tensor.BinaryCrossEntropy(prediction, target), Reduction);
    }
}
