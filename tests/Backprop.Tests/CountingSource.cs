using Backprop.Data;

namespace Backprop.Tests;

/// <summary>A source that passes on another's batches, counting the passes begun over it and the batches handed out.</summary>
internal sealed class CountingSource(IDataSource data) : IDataSource
{
    public int Passes { get; private set; }

    public int BatchesRead { get; private set; }

    public IReadOnlyList<int> ExampleShape => data.ExampleShape;

    public int ClassCount => data.ClassCount;

    public int? Count => data.Count;

    public IEnumerable<Batch> Batches(int epoch, int batchSize, bool shuffle, int seed)
    {
        Passes++;
        foreach (var batch in data.Batches(epoch, batchSize, shuffle, seed))
        {
            BatchesRead++;
            yield return batch;
        }
    }
}
