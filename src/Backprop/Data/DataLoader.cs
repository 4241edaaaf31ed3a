using Backprop.Tensors;

namespace Backprop.Data;

/// <summary>
/// Splits a <see cref="Dataset"/> into mini-batches, reshuffled every epoch from a seed: epoch e uses the
/// permutation drawn by <see cref="SplitMix64.ForEpoch"/>(seed, e), so any epoch can be reproduced (or resumed)
/// without replaying the ones before it, with the same order on every .NET version, and another source can visit its
/// examples in the same order.
/// </summary>
public sealed class DataLoader
{
    /// <summary>Creates the loader.</summary>
    /// <param name="dataset">The examples.</param>
    /// <param name="batchSize">Examples per batch (≥ 1); the last batch may be smaller.</param>
    /// <param name="shuffle">Whether to visit the examples in a new random order each epoch.</param>
    /// <param name="seed">Seed of the shuffling.</param>
    public DataLoader(Dataset dataset, int batchSize, bool shuffle = true, int seed = 0)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        if (batchSize < 1) throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, $"DataLoader: batchSize must be ≥ 1, got {batchSize}.");
        Dataset = dataset;
        BatchSize = batchSize;
        Shuffle = shuffle;
        Seed = seed;
    }

    /// <summary>The examples.</summary>
    public Dataset Dataset { get; }

    /// <summary>Examples per batch.</summary>
    public int BatchSize { get; }

    /// <summary>Whether the order is reshuffled each epoch.</summary>
    public bool Shuffle { get; }

    /// <summary>Seed of the shuffling.</summary>
    public int Seed { get; }

    /// <summary>Number of batches per epoch.</summary>
    public int BatchCount => (Dataset.Count + BatchSize - 1) / BatchSize;

    /// <summary>
    /// The order in which epoch <paramref name="epoch"/> (0-based) visits the examples: 0..count−1, put through
    /// <see cref="SplitMix64.ForEpoch"/>(<see cref="Seed"/>, <paramref name="epoch"/>)'s <see cref="SplitMix64.Shuffle"/> when shuffling.
    /// </summary>
    public int[] Order(int epoch)
    {
        // A loop, not Enumerable.Range(…).ToArray(): the same numbers, without 2 ms of compiling inside the first epoch.
        var order = new int[Dataset.Count];
        for (int i = 0; i < order.Length; i++) order[i] = i;
        // SplitMix64, not System.Random: .NET may change Random's algorithm, and the order must not change with it.
        if (Shuffle) SplitMix64.ForEpoch(Seed, epoch).Shuffle(order);
        return order;
    }

    /// <summary>The batches of epoch <paramref name="epoch"/> (0-based), in order.</summary>
    public IEnumerable<Batch> Batches(int epoch)
    {
        var order = Order(epoch);
        for (int start = 0; start < order.Length; start += BatchSize)
            yield return Dataset.Gather(new ArraySegment<int>(order, start, Math.Min(BatchSize, order.Length - start)));
    }
}
