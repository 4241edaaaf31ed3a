namespace Backprop.Losses;

/// <summary>Mean absolute error: mean(|prediction − target|) (or the sum, or per element); its gradient is sign(prediction − target), 0 at 0.</summary>
/// <param name="reduction">Mean (default, as PyTorch's L1Loss), Sum, or None.</param>
public sealed class MaeLoss(Reduction reduction = Reduction.Mean) : Loss
{
    /// <summary>How the absolute errors are combined.</summary>
    public Reduction Reduction { get; } = Known(reduction);

    /// <inheritdoc />
    internal override Reduction? Combination => CombinationOf(Reduction);

    /// <inheritdoc />
    public override Tensor Forward(Tensor prediction, Tensor target)
    {
        RequireSameShape(prediction, target);
        prediction.RequireSameDType(nameof(MaeLoss), target);
        return Reduce((prediction - target).Abs(), Reduction);
    }
}
