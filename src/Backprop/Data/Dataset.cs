using Backprop.Tensors;

namespace Backprop.Data;

/// <summary>
/// Examples held in memory: inputs [N, …] and either class labels (classification) or a target tensor
/// [N, …] (regression, or any target a loss takes).
/// </summary>
/// <example>
/// <code>
/// var train = new Dataset(Tensor.FromArray(pixels, 8000, 784), labels);   // labels: int[8000]
/// </code>
/// </example>
public sealed class Dataset : IDataSource
{
    /// <summary>A classification data set: one class index in [0, classes) per example.</summary>
    /// <exception cref="ArgumentException">The number of labels differs from the number of examples, or a label is negative.</exception>
    public Dataset(Tensor inputs, int[] labels, int? classCount = null)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(labels);
        RequireExamples(inputs);
        if (labels.Length != inputs.Dims[0])
            throw new ArgumentException($"Dataset: {labels.Length} labels for {inputs.Dims[0]} examples (inputs shape {ShapeMath.Format(inputs.Dims)}).", nameof(labels));
        // One plain loop rather than Enumerable.Max and Min, whose vector code the JIT compiler took about 7 ms to compile.
        int largest = -1, smallest = 0;
        foreach (int label in labels)
        {
            largest = Math.Max(largest, label);
            smallest = Math.Min(smallest, label);
        }
        if (smallest < 0) throw new ArgumentException($"Dataset: label {smallest} is negative; labels are class indices 0, 1, ….", nameof(labels));
        ClassCount = classCount ?? largest + 1;
        if (largest >= ClassCount)
            throw new ArgumentException($"Dataset: label {largest} is outside [0, {ClassCount}).", nameof(labels));
        Inputs = inputs;
        Labels = labels;
    }

    /// <summary>A data set with a target tensor per example (first dimension N, like the inputs).</summary>
    /// <exception cref="ArgumentException">The numbers of inputs and targets differ.</exception>
    public Dataset(Tensor inputs, Tensor targets)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(targets);
        RequireExamples(inputs);
        if (targets.Rank == 0 || targets.Dims[0] != inputs.Dims[0])
            throw new ArgumentException($"Dataset: targets of shape {ShapeMath.Format(targets.Dims)} for inputs of shape {ShapeMath.Format(inputs.Dims)}; both need the same first dimension.", nameof(targets));
        Inputs = inputs;
        Targets = targets;
    }

    /// <summary>All inputs, [N, …].</summary>
    public Tensor Inputs { get; }

    /// <summary>Class indices, for classification; otherwise null.</summary>
    public int[]? Labels { get; }

    /// <summary>Target values, for regression; otherwise null.</summary>
    public Tensor? Targets { get; }

    /// <summary>Number of classes (largest label + 1, or as given); 0 for regression.</summary>
    public int ClassCount { get; }

    /// <summary>Number of examples.</summary>
    public int Count => Inputs.Dims[0];

    /// <summary>Whether the examples carry class labels.</summary>
    public bool IsClassification => Labels is not null;

    /// <inheritdoc />
    public IReadOnlyList<int> ExampleShape => Inputs.Shape[1..];

    int? IDataSource.Count => Count;

    /// <inheritdoc />
    /// <remarks>The order of epoch e is <see cref="DataLoader.Order"/>'s: a permutation drawn from (seed, e), the same on every .NET version.</remarks>
    public IEnumerable<Batch> Batches(int epoch, int batchSize, bool shuffle, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(epoch);
        return new DataLoader(this, batchSize, shuffle, seed).Batches(epoch);
    }

    /// <summary>The examples at <paramref name="indices"/>, in that order (a copy).</summary>
    public Dataset Subset(IReadOnlyList<int> indices)
    {
        var batch = Gather(indices);
        return batch.Labels is not null ? new Dataset(batch.Inputs, batch.Labels, ClassCount) : new Dataset(batch.Inputs, batch.Targets!);
    }

    /// <summary>Copies the examples at <paramref name="indices"/> into a batch.</summary>
    internal Batch Gather(IReadOnlyList<int> indices)
    {
        var positions = indices as int[] ?? indices.ToArray();
        foreach (int i in positions)
            if ((uint)i >= (uint)Count) throw new ArgumentOutOfRangeException(nameof(indices), i, $"Dataset: index {i} is outside [0, {Count}).");
        var inputs = Rows(Inputs, positions);
        if (Labels is null) return new Batch(inputs, null, Rows(Targets!, positions));
        var labels = new int[positions.Length];
        for (int i = 0; i < labels.Length; i++) labels[i] = Labels[positions[i]];
        return new Batch(inputs, labels, null);
    }

    private static Tensor Rows(Tensor source, int[] positions)
    {
        using (Tensor.NoGrad()) return source.IndexSelect(positions);
    }

    private static void RequireExamples(Tensor inputs)
    {
        if (inputs.Rank == 0)
            throw new ArgumentException("Dataset: inputs must have a first dimension of examples, got a scalar.", nameof(inputs));
    }
}

/// <summary>One mini-batch: inputs and their labels or targets.</summary>
/// <param name="Inputs">[B, …].</param>
/// <param name="Labels">Class indices, for classification.</param>
/// <param name="Targets">Target values, for regression.</param>
public sealed record Batch(Tensor Inputs, int[]? Labels, Tensor? Targets)
{
    /// <summary>Number of examples in the batch.</summary>
    public int Count => Inputs.Dims[0];
}
