namespace Backprop.Losses;

/// <summary>
/// The textbooks' total error E = Σ ½(target − output)², summed over outputs and examples. The ½
/// cancels the 2 of the derivative: ∂E/∂output = −(target − output).
/// </summary>
public sealed class SquaredErrorLoss : Loss
{
    /// <inheritdoc />
    internal override Reduction? Combination => Reduction.Sum;

    /// <inheritdoc />
    public override Tensor Forward(Tensor prediction, Tensor target)
    {
        RequireSameShape(prediction, target);
        return Tensor.ScaledSquaredError(prediction, target, 0.5, nameof(SquaredErrorLoss));
    }
}
