namespace Backprop.Losses;

/// <summary>Mean squared error: mean((prediction − target)²) (or the sum, or per element).</summary>
/// <param name="reduction">Mean (default, as PyTorch), Sum, or None.</param>
public sealed class MseLoss(Reduction reduction = Reduction.Mean) : Loss
{
    /// <summary>How the squared errors are combined.</summary>
    public Reduction Reduction { get; } = Known(reduction);

    /// <inheritdoc />
    internal override Reduction? Combination => CombinationOf(Reduction);

    /// <inheritdoc />
    public override Tensor Forward(Tensor prediction, Tensor target)
    {
        RequireSameShape(prediction, target);
        prediction.RequireSameDType(nameof(MseLoss), target);
        if (Reduction == Reduction.None)
        {
            var error = prediction - target;
            return error * error;
        }
        return Tensor.ScaledSquaredError(prediction, target, Reduction == Reduction.Mean ? 1.0 / prediction.Length : 1, nameof(MseLoss));
    }
}
