namespace Backprop.Data;

/// <summary>
/// Examples that training, evaluation and prediction read one batch at a time, whether they are held in memory
/// (<see cref="Dataset"/>, the simplest case) or read as they are needed: a CSV file streamed in chunks, a folder
/// of images decoded per batch. Any source trains in memory bounded by its batches and its own buffers.
/// </summary>
/// <remarks>
/// <para>Determinism is part of the contract: the same <see cref="Batches"/> arguments give the same batches in
/// the same order, in every run and for any thread count, so training from a seed is reproducible and a resumed
/// run continues with the batches an uninterrupted run would have seen.</para>
/// <para>A batch is valid until the next one is requested: sources (and the training loop's step arena) may
/// recycle its storage. Copy what must outlive it.</para>
/// </remarks>
/// <example>
/// <code>
/// IDataSource train = new Dataset(inputs, labels);
/// foreach (var batch in train.Batches(epoch: 0, batchSize: 64, shuffle: true, seed: 1))
///     Console.WriteLine(batch.Count);
/// </code>
/// </example>
public interface IDataSource
{
    /// <summary>One example's input shape, without the batch axis: <c>[784]</c> for a row of pixels, <c>[3, 32, 32]</c> for an RGB image.</summary>
    IReadOnlyList<int> ExampleShape { get; }

    /// <summary>The number of classes when examples carry class labels (<see cref="Batch.Labels"/>); 0 when they carry target tensors.</summary>
    int ClassCount { get; }

    /// <summary>Whether the examples carry class labels.</summary>
    bool IsClassification => ClassCount > 0;

    /// <summary>The number of examples, or null when it is not known before the data has been read through.</summary>
    int? Count { get; }

    /// <summary>
    /// The batches of one pass over the examples: each example exactly once, in batches of
    /// <paramref name="batchSize"/> (the last may be smaller).
    /// </summary>
    /// <param name="epoch">The 0-based pass; with <paramref name="shuffle"/>, each epoch has its own order.</param>
    /// <param name="batchSize">Examples per batch, ≥ 1.</param>
    /// <param name="shuffle">Whether to visit the examples in a random order drawn from (<paramref name="seed"/>, <paramref name="epoch"/>); a source too large for memory may shuffle within a bounded window. False keeps the source's order.</param>
    /// <param name="seed">Seed of the order.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="batchSize"/> is less than 1, or <paramref name="epoch"/> is negative.</exception>
    IEnumerable<Batch> Batches(int epoch, int batchSize, bool shuffle, int seed);
}
