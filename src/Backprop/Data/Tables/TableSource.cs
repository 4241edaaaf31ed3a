using Backprop.IO;
using Backprop.Tensors;

namespace Backprop.Data;

/// <summary>
/// A CSV table streamed through a fitted <see cref="TablePreprocessor"/>: raw rows in, feature batches out, in memory
/// bounded by a batch and the shuffle buffer whatever the file's size. Used by training on files larger than memory
/// (shuffled within a bounded buffer: <see cref="ShuffleBufferBytes"/>), and by prediction and evaluation (file order).
/// </summary>
/// <example>
/// <code>
/// var source = TableSource.Open("new-houses.csv", preprocessor, labelled: false);
/// foreach (var batch in source.ReadBatches(1024)) Use(batch.Features);
/// </code>
/// </example>
public sealed class TableSource : IDataSource
{
    /// <summary>Memory the training shuffle buffer may take; at least 256 rows.</summary>
    public const long ShuffleBufferBytes = 64L * 1024 * 1024;

    // Chunks parsed ahead of training on a background thread: enough to keep a core busy, few enough to bound memory.
    private const int PrefetchDepth = 4;

    private readonly Func<Stream> _open;
    private readonly char? _delimiter;
    private readonly bool[]? _rows;
    private readonly long? _limit;

    internal TableSource(Func<Stream> open, string name, TablePreprocessor preprocessor, bool labelled, char? delimiter, bool[]? rows, long? limit)
    {
        _open = open;
        Name = name;
        Preprocessor = preprocessor;
        Labelled = labelled;
        _delimiter = delimiter;
        _rows = rows;
        _limit = limit;
        if (rows is not null) Count = rows.Count(selected => selected);
    }

    /// <summary>Streams the table at <paramref name="path"/> (plain or .gz) through <paramref name="preprocessor"/>.</summary>
    /// <param name="path">The CSV file.</param>
    /// <param name="preprocessor">The fitted preprocessing; the file must hold its input columns (in any order; others are ignored).</param>
    /// <param name="labelled">Whether rows carry the label (evaluation: rows whose label is missing are skipped and counted); false for prediction.</param>
    /// <param name="delimiter">The field separator; null detects it from the header.</param>
    /// <param name="limit">Read at most this many rows; null for all.</param>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    public static TableSource Open(string path, TablePreprocessor preprocessor, bool labelled, char? delimiter = null, long? limit = null)
    {
        ArgumentNullException.ThrowIfNull(preprocessor);
        return new TableSource(TableFile.Opener(path), path, preprocessor, labelled, delimiter, null, limit);
    }

    /// <summary>The file's name in messages.</summary>
    public string Name { get; }

    /// <summary>The preprocessing rows go through.</summary>
    public TablePreprocessor Preprocessor { get; }

    /// <summary>Whether batches carry labels or targets.</summary>
    public bool Labelled { get; }

    /// <summary>Rows skipped in the last pass because their label was missing.</summary>
    public long DroppedRows { get; private set; }

    /// <summary>Cells in the last pass whose value was not one of their column's categories and went to "other".</summary>
    public long OtherValues { get; private set; }

    /// <summary>Where the file's chunks start, for visiting them in a shuffled order; null to read the file in order.</summary>
    internal ChunkIndex? Chunks { get; init; }

    /// <summary>Kept rows before each chunk (from the first pass), to find a chunk's rows in the training mask.</summary>
    internal int[]? KeptAtChunk { get; init; }

    /// <summary>The file's column names, for a reader that starts at a chunk rather than at the header.</summary>
    internal string[]? Header { get; init; }

    /// <summary>Rows the training shuffle holds; 0 (default) sizes it from <see cref="ShuffleBufferBytes"/>. Set by tests to see the window at work.</summary>
    internal int ShuffleRows { get; set; }

    /// <inheritdoc />
    public IReadOnlyList<int> ExampleShape => [Preprocessor.FeatureCount];

    /// <inheritdoc />
    public int ClassCount => Labelled && Preprocessor.Task == ModelTask.Classification ? Preprocessor.ClassNames.Count : 0;

    /// <inheritdoc />
    public int? Count { get; }

    /// <summary>The rows in file order, preprocessed, in batches of <paramref name="batchSize"/> (the last may be smaller).</summary>
    /// <exception cref="DataFormatException">During enumeration: the file lacks a column, a row is malformed, or a label is unknown.</exception>
    public IEnumerable<TableBatch> ReadBatches(int batchSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        return Read(batchSize);
    }

    /// <inheritdoc />
    public IEnumerable<Batch> Batches(int epoch, int batchSize, bool shuffle, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(epoch);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        return shuffle ? Shuffled(epoch, batchSize, seed) : Prefetch.Ahead(Read(batchSize), PrefetchDepth).Select(ToBatch);
    }

    private IEnumerable<TableBatch> Read(int batchSize)
    {
        using var reader = TableRowReader.Open(_open, Name, Preprocessor, Labelled, _delimiter);
        DroppedRows = 0;
        OtherValues = 0;
        long kept = 0;
        int width = Preprocessor.FeatureCount;
        while (true)
        {
            var features = new float[batchSize * width];
            var labels = Labelled && Preprocessor.Task == ModelTask.Classification ? new int[batchSize] : null;
            var targets = Labelled && Preprocessor.Task == ModelTask.Regression ? new float[batchSize] : null;
            var ids = reader.HasIds ? new string[batchSize] : null;
            long first = kept;
            int count = 0;
            while (count < batchSize && (_limit is not long limit || kept + DroppedRows < limit) && reader.Next())
            {
                if (reader.LabelMissing)
                {
                    DroppedRows++;
                    continue;
                }
                if (_rows is null || (kept < _rows.Length && _rows[kept]))
                {
                    reader.Encode(features.AsSpan(count * width, width));
                    if (labels is not null) labels[count] = reader.ClassIndex();
                    if (targets is not null) targets[count] = reader.StandardisedTarget();
                    if (ids is not null) ids[count] = reader.Id();
                    count++;
                }
                kept++;
            }
            OtherValues = reader.OtherValues;
            if (count == 0) yield break;
            if (count < batchSize)
            {
                Array.Resize(ref features, count * width);
                if (labels is not null) Array.Resize(ref labels, count);
                if (targets is not null) Array.Resize(ref targets, count);
                if (ids is not null) Array.Resize(ref ids, count);
            }
            yield return new TableBatch(count, features, labels, targets, ids, first);
            if (count < batchSize) yield break;
        }
    }

    /// <summary>
    /// The rows chunk by chunk (<see cref="ChunkIndex.Rows"/> records each) in an order drawn from (seed, epoch), each
    /// chunk read from its byte offset: the coarse half of the shuffle, whose fine half is the window.
    /// </summary>
    private IEnumerable<TableBatch> ReadChunks(int batchSize, int epoch, int seed, char separator)
    {
        int chunks = Math.Min(Chunks!.Count, KeptAtChunk!.Length);
        var order = Enumerable.Range(0, chunks).ToArray();
        new SplitMix64(unchecked(((ulong)seed * 1_000_003 + (ulong)epoch) ^ 0x9e3779b97f4a7c15UL)).Shuffle(order);
        int width = Preprocessor.FeatureCount;
        var features = new float[batchSize * width];
        var labels = new int[batchSize];
        var targets = new float[batchSize];
        int count = 0;
        foreach (int chunk in order)
        {
            using var reader = TableRowReader.AtOffset(_open, Name, Header!, Chunks.Offsets[chunk], Chunks.Lines[chunk], Preprocessor, Labelled, separator);
            long kept = KeptAtChunk[chunk];
            long raw = (long)chunk * ChunkIndex.Rows;
            for (int record = 0; record < ChunkIndex.Rows && (_limit is not long limit || raw + record < limit) && reader.Next(); record++)
            {
                if (reader.LabelMissing) continue;
                if (_rows is null || (kept < _rows.Length && _rows[kept]))
                {
                    reader.Encode(features.AsSpan(count * width, width));
                    if (ClassCount > 0) labels[count] = reader.ClassIndex();
                    else if (Labelled) targets[count] = reader.StandardisedTarget();
                    if (++count == batchSize)
                    {
                        yield return new TableBatch(count, features, ClassCount > 0 ? labels : null, Labelled && ClassCount == 0 ? targets : null, null, 0);
                        (features, labels, targets, count) = (new float[batchSize * width], new int[batchSize], new float[batchSize], 0);
                    }
                }
                kept++;
            }
        }
        if (count > 0)
            yield return new TableBatch(count, features[..(count * width)], ClassCount > 0 ? labels[..count] : null, Labelled && ClassCount == 0 ? targets[..count] : null, null, 0);
    }

    private Batch ToBatch(TableBatch batch) => new(
        Tensor.FromArray(batch.Features, batch.Count, Preprocessor.FeatureCount),
        batch.Labels,
        batch.Targets is null ? null : Tensor.FromArray(batch.Targets, batch.Count, 1));

    /// <summary>
    /// A bounded shuffle, as tf.data's <c>shuffle(buffer)</c>: the buffer fills with the first rows, then each new row
    /// takes the place of a random buffered row, which goes out. Drawn from (seed, epoch), so runs repeat exactly.
    /// </summary>
    private IEnumerable<Batch> Shuffled(int epoch, int batchSize, int seed)
    {
        int width = Preprocessor.FeatureCount;
        int capacity = ShuffleRows > 0 ? ShuffleRows : (int)Math.Clamp(ShuffleBufferBytes / (4L * (width + 1)), 256, 1 << 20);
        // DataLoader's generator for (seed, epoch): System.Random's algorithm may change between .NET versions.
        var random = SplitMix64.ForEpoch(seed, epoch);
        // The buffer grows to its capacity as rows arrive, so a small table never pays for a large window; it starts at
        // the training rows' count when that is known, so it is not copied as it grows.
        int allocated = Math.Min(capacity, Math.Max(Count ?? 1024, 1));
        var buffer = new float[allocated * width];
        var labels = new int[allocated];
        var targets = new float[allocated];
        int filled = 0;
        var pendingFeatures = new float[batchSize * width];
        var pendingLabels = new int[batchSize];
        var pendingTargets = new float[batchSize];
        int pending = 0;

        var rows = Chunks is not null && KeptAtChunk is not null && Header is not null && _delimiter is char separator
            ? ReadChunks(Math.Min(batchSize, 1024), epoch, seed, separator)
            : Read(Math.Min(batchSize, 1024));
        foreach (var chunk in Prefetch.Ahead(rows, PrefetchDepth))
        {
            for (int row = 0; row < chunk.Count; row++)
            {
                if (filled < capacity)
                {
                    if (filled == allocated)
                    {
                        allocated = Math.Min(capacity, 2 * allocated);
                        Array.Resize(ref buffer, allocated * width);
                        Array.Resize(ref labels, allocated);
                        Array.Resize(ref targets, allocated);
                    }
                    Store(filled++, chunk, row);
                    continue;
                }
                int slot = random.Next(capacity);
                Take(slot);
                Store(slot, chunk, row);
                if (pending == batchSize) yield return Flush();
            }
        }
        // The rest of the buffer, in a random order.
        var rest = Enumerable.Range(0, filled).ToArray();
        random.Shuffle(rest);
        foreach (int slot in rest)
        {
            Take(slot);
            if (pending == batchSize) yield return Flush();
        }
        if (pending > 0) yield return Flush();

        void Store(int slot, TableBatch chunk, int row)
        {
            chunk.Features.AsSpan(row * width, width).CopyTo(buffer.AsSpan(slot * width, width));
            if (chunk.Labels is not null) labels[slot] = chunk.Labels[row];
            if (chunk.Targets is not null) targets[slot] = chunk.Targets[row];
        }

        void Take(int slot)
        {
            buffer.AsSpan(slot * width, width).CopyTo(pendingFeatures.AsSpan(pending * width, width));
            pendingLabels[pending] = labels[slot];
            pendingTargets[pending] = targets[slot];
            pending++;
        }

        Batch Flush()
        {
            var batch = new Batch(Tensor.FromArray(pendingFeatures.AsSpan(0, pending * width).ToArray(), pending, width),
                ClassCount > 0 ? pendingLabels[..pending] : null,
                Labelled && ClassCount == 0 ? Tensor.FromArray(pendingTargets[..pending], pending, 1) : null);
            pending = 0;
            return batch;
        }
    }
}
