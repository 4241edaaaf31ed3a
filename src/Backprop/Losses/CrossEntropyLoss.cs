using Backprop.Tensors;

namespace Backprop.Losses;

/// <summary>
/// Cross-entropy from raw scores (logits) [N, C], with log-softmax fused in (as PyTorch's
/// <c>CrossEntropyLoss</c>): ℓᵢ = −log softmax(zᵢ)[yᵢ] for class indices, or −Σⱼ tᵢⱼ log softmax(zᵢ)ⱼ for
/// a target of probabilities (one-hot or soft). The gradient per example is softmax(zᵢ) − tᵢ.
/// </summary>
/// <example>
/// <code>
/// var loss = new CrossEntropyLoss().Forward(model.Forward(images), labels);   // labels: int[]
/// </code>
/// </example>
/// <param name="reduction">Mean over examples (default), Sum, or None (one loss per example).</param>
public sealed class CrossEntropyLoss(Reduction reduction = Reduction.Mean) : Loss
{
    /// <summary>How the per-example losses are combined.</summary>
    public Reduction Reduction { get; } = Known(reduction);

    /// <inheritdoc />
    internal override Reduction? Combination => CombinationOf(Reduction);

    /// <summary>The loss for class indices <paramref name="classes"/> (one per row, each in [0, C)).</summary>
    /// <exception cref="ArgumentException">The logits are not [N, C], there are not N classes, or a class is out of range.</exception>
    public Tensor Forward(Tensor logits, int[] classes)
    {
        ArgumentNullException.ThrowIfNull(logits);
        ArgumentNullException.ThrowIfNull(classes);
        var (rows, count) = RequireLogits(logits);
        if (classes.Length != rows)
            throw new ArgumentException($"CrossEntropyLoss: {classes.Length} class indices for {rows} rows of logits (shape {ShapeMath.Format(logits.Dims)}).", nameof(classes));
        for (int i = 0; i < rows; i++)
        {
            if ((uint)classes[i] >= (uint)count)
                throw new ArgumentException($"CrossEntropyLoss: class index {classes[i]} at row {i} is outside [0, {count}).", nameof(classes));
        }
        return Tensor.SoftmaxCrossEntropy(logits, classes, Reduction);
    }

    /// <summary>
    /// The loss for a target of probabilities [N, C] (one-hot or soft), or of class indices [N] stored
    /// as whole numbers.
    /// </summary>
    public override Tensor Forward(Tensor prediction, Tensor target)
    {
        ArgumentNullException.ThrowIfNull(prediction);
        ArgumentNullException.ThrowIfNull(target);
        var (rows, _) = RequireLogits(prediction);
        if (target.Rank == 1 && target.Dims[0] == rows)
        {
            var indices = target.ToDoubleArray();
            var classes = new int[rows];
            for (int i = 0; i < rows; i++)
            {
                if (indices[i] != Math.Floor(indices[i]))
                    throw new ArgumentException($"CrossEntropyLoss: a 1-D target holds class indices, but element {i} is {indices[i]}.", nameof(target));
                classes[i] = (int)indices[i];
            }
            return Forward(prediction, classes);
        }
        RequireSameShape(prediction, target);
        return Reduce(Tensor.SoftmaxCrossEntropy(prediction, target), Reduction);
    }

    private static (int Rows, int Classes) RequireLogits(Tensor logits)
    {
        if (logits.Rank != 2 || logits.Dims[1] < 1)
            throw new ArgumentException($"CrossEntropyLoss: logits must be [batch, classes], got {ShapeMath.Format(logits.Dims)}.", nameof(logits));
        return (logits.Dims[0], logits.Dims[1]);
    }
}
