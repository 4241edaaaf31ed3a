using Backprop.Tensors;

namespace Backprop.Losses;

/// <summary>A measure of how wrong a prediction is; its result is what <see cref="Tensor.Backward"/> starts from.</summary>
public abstract class Loss
{
    /// <summary>The loss of <paramref name="prediction"/> against <paramref name="target"/>; a scalar unless the reduction is None.</summary>
    public abstract Tensor Forward(Tensor prediction, Tensor target);

    /// <summary>
    /// How the loss combines its examples, so <c>Evaluate</c> can add it up over batches: Mean or Sum; null when it does not
    /// say (a loss of the user's own, or Reduction.None), which Evaluate then computes over all examples at once.
    /// </summary>
    internal virtual Reduction? Combination => null;

    /// <summary>The combination of a loss with a <paramref name="reduction"/> setting: Mean or Sum as given, null for None.</summary>
    private protected static Reduction? CombinationOf(Reduction reduction) => reduction == Reduction.None ? null : reduction;

    /// <summary>
    /// <paramref name="reduction"/> if it is Mean, Sum or None; for the constructors, so an undefined value fails where it
    /// is passed rather than at the first Forward (or, for class indices, being taken silently as Sum).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not a defined <see cref="Losses.Reduction"/>; the message quotes it.</exception>
    protected static Reduction Known(Reduction reduction) => Enum.IsDefined(reduction)
        ? reduction
        : throw new ArgumentOutOfRangeException(nameof(reduction), reduction, $"reduction must be Mean, Sum or None, got {(int)reduction}.");

    /// <summary>Applies a reduction to per-element losses.</summary>
    protected static Tensor Reduce(Tensor losses, Reduction reduction) => reduction switch
    {
        Reduction.Mean => losses.Mean(),
        Reduction.Sum => losses.Sum(),
        Reduction.None => losses,
        _ => throw new ArgumentOutOfRangeException(nameof(reduction), reduction, "unknown reduction"),
    };

    /// <summary>Throws unless prediction and target have the same shape; the message names both.</summary>
    protected void RequireSameShape(Tensor prediction, Tensor target)
    {
        ArgumentNullException.ThrowIfNull(prediction);
        ArgumentNullException.ThrowIfNull(target);
        if (!prediction.Dims.AsSpan().SequenceEqual(target.Dims))
            throw new ArgumentException($"{GetType().Name}: prediction shape {ShapeMath.Format(prediction.Dims)} and target shape {ShapeMath.Format(target.Dims)} differ.");
    }
}
