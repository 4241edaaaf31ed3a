namespace Backprop.Losses;

/// <summary>How a loss combines the per-element (or per-example) losses into its result.</summary>
public enum Reduction
{
    /// <summary>The average: the scale does not grow with the batch size (PyTorch's default).</summary>
    Mean,

    /// <summary>The total.</summary>
    Sum,

    /// <summary>No reduction: one loss per element (or per example for cross-entropy).</summary>
    None,
}
