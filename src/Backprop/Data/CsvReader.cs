using System.Text;

namespace Backprop.Data;

/// <summary>
/// Reads a CSV file with a header row as numeric features and a label, either in batches streamed
/// from disk (<see cref="ReadBatches"/>: memory stays proportional to the batch, not the file) or
/// whole (<see cref="ReadTable"/>). Fields follow RFC 4180 (quotes, <c>""</c> escapes) and numbers
/// the invariant culture (<c>1.5</c>, <c>-2e3</c>).
/// </summary>
/// <remarks>
/// Streaming with class labels needs the class list before the first batch, so unless
/// <see cref="CsvOptions.ClassNames"/> is given, <see cref="ClassNames"/> costs one extra pass over
/// the file that parses only the label column. Reading the file twice was chosen over keeping a
/// label per row in memory, which would grow with the file.
/// </remarks>
/// <example>
/// <code>
/// var reader = new CsvReader("big.csv", new CsvOptions { LabelColumn = "label" });
/// foreach (CsvBatch batch in reader.ReadBatches(batchSize: 256))
///     Train(batch.Features, batch.Labels!);   // [256, reader.FeatureCount], [256]
/// </code>
/// </example>
public sealed class CsvReader
{
    private const int StreamBufferSize = 64 * 1024;

    private readonly Func<Stream> _open;
    private readonly CsvOptions _options;
    private readonly CsvSchema _schema;
    private ClassMap? _classes;

    /// <summary>Reads the header of the file at <paramref name="path"/>; rows are read when asked for.</summary>
    /// <exception cref="DataFormatException">The file is empty or the label column does not exist.</exception>
    public CsvReader(string path, CsvOptions? options = null)
        : this(() => File.OpenRead(path), path, options)
    {
    }

    /// <summary>
    /// Reads the header of a CSV that <paramref name="open"/> supplies; <paramref name="open"/> is
    /// called once per pass and each stream it returns is disposed after the pass.
    /// </summary>
    /// <param name="open">Opens the CSV from its start, e.g. an embedded resource.</param>
    /// <param name="name">The name used in error messages.</param>
    /// <param name="options">Label column and mode; the defaults take the last column as class labels.</param>
    /// <exception cref="DataFormatException">The CSV is empty or the label column does not exist.</exception>
    public CsvReader(Func<Stream> open, string name, CsvOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(open);
        ArgumentNullException.ThrowIfNull(name);
        _options = options ?? new CsvOptions();
        _options.Validate();
        _open = open;
        FileName = name;
        using var tokenizer = Open();
        _schema = CsvSchema.ReadHeader(tokenizer, _options);
        if (_options.ClassNames is { } given) _classes = new ClassMap(given);
    }

    /// <summary>The name the CSV is known by in error messages.</summary>
    public string FileName { get; }

    /// <summary>All column names, as in the header.</summary>
    public IReadOnlyList<string> ColumnNames => _schema.ColumnNames;

    /// <summary>The feature columns' names, in file order (every column except the label).</summary>
    public IReadOnlyList<string> FeatureNames => _schema.FeatureNames;

    /// <summary>Number of feature columns: the width of a row of <see cref="CsvBatch.Features"/>.</summary>
    public int FeatureCount => _schema.FeatureColumns.Length;

    /// <summary>The label column's name.</summary>
    public string LabelName => _schema.LabelName;

    /// <summary>
    /// The classes in class-index order; empty in regression mode. Discovered by a pass over the
    /// file on first use unless <see cref="CsvOptions.ClassNames"/> gave them.
    /// </summary>
    /// <exception cref="DataFormatException">A row is malformed or there are no data rows.</exception>
    public IReadOnlyList<string> ClassNames => _options.Regression ? [] : Classes().Names;

    /// <summary>
    /// Streams the rows in batches of <paramref name="batchSize"/> (the last may be shorter), in file
    /// order. Each enumeration reads the file from its start; batches are new arrays, safe to keep.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="batchSize"/> is below 1.</exception>
    /// <exception cref="DataFormatException">During enumeration: a row is malformed or there are no data rows.</exception>
    public IEnumerable<CsvBatch> ReadBatches(int batchSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        return Batches(batchSize);
    }

    /// <summary>Reads every row into memory in one pass.</summary>
    /// <exception cref="DataFormatException">A row is malformed or there are no data rows.</exception>
    public CsvTable ReadTable()
    {
        using var tokenizer = Open();
        return Materialise(tokenizer, _options);
    }

    internal static CsvTable Materialise(CsvTokenizer tokenizer, CsvOptions options)
    {
        var schema = CsvSchema.ReadHeader(tokenizer, options);
        int width = schema.FeatureColumns.Length;
        var given = options.ClassNames is null ? null : new ClassMap(options.ClassNames);
        // Without given classes, labels get provisional indices in order of appearance and are
        // renumbered once all are known: one pass, one int per row.
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        var seenLookup = seen.GetAlternateLookup<ReadOnlySpan<char>>();

        var features = new float[1024 * width];
        var labels = new int[options.Regression ? 0 : 1024];
        var targets = new float[options.Regression ? 1024 : 0];
        int rows = 0;
        while (tokenizer.ReadRecord())
        {
            schema.CheckColumnCount(tokenizer);
            if ((long)(rows + 1) * width > features.Length) Array.Resize(ref features, checked(2 * features.Length));
            schema.ParseFeatures(tokenizer, features.AsSpan(rows * width, width));
            if (options.Regression)
            {
                if (rows == targets.Length) Array.Resize(ref targets, 2 * targets.Length);
                targets[rows] = schema.ParseNumber(tokenizer, schema.LabelColumn);
            }
            else
            {
                if (rows == labels.Length) Array.Resize(ref labels, 2 * labels.Length);
                var label = schema.Label(tokenizer);
                int index;
                if (given is not null)
                {
                    if (!given.TryGetIndex(label, out index)) throw schema.UnknownClass(tokenizer, label, given);
                }
                else if (!seenLookup.TryGetValue(label, out index))
                {
                    index = seen.Count;
                    seen.Add(label.ToString(), index);
                }
                labels[rows] = index;
            }
            rows++;
        }
        if (rows == 0) throw schema.HeaderOnly();

        Array.Resize(ref features, rows * width);
        if (options.Regression)
        {
            Array.Resize(ref targets, rows);
            return new CsvTable(schema.FeatureNames, schema.LabelName, features, rows, null, targets, []);
        }
        Array.Resize(ref labels, rows);
        var classes = given ?? ClassMap.FromDistinct(seen.Keys);
        if (given is null)
        {
            var renumber = new int[seen.Count];
            foreach (var (label, provisional) in seen) classes.TryGetIndex(label, out renumber[provisional]);
            for (int i = 0; i < rows; i++) labels[i] = renumber[labels[i]];
        }
        return new CsvTable(schema.FeatureNames, schema.LabelName, features, rows, labels, null, classes.Names);
    }

    internal static CsvTokenizer OpenTokenizer(Stream stream, string name, char delimiter, bool leaveOpen) =>
        new(new StreamReader(stream, Encoding.UTF8, detectEncodingFromByteOrderMarks: true, StreamBufferSize, leaveOpen), name, delimiter);

    private CsvTokenizer Open() => OpenTokenizer(_open(), FileName, _options.Delimiter, leaveOpen: false);

    private ClassMap Classes() => _classes ??= DiscoverClasses();

    private ClassMap DiscoverClasses()
    {
        using var tokenizer = Open();
        var schema = CsvSchema.ReadHeader(tokenizer, _options);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var seenLookup = seen.GetAlternateLookup<ReadOnlySpan<char>>();
        bool anyRow = false;
        while (tokenizer.ReadRecord())
        {
            schema.CheckColumnCount(tokenizer);
            var label = schema.Label(tokenizer);
            if (!seenLookup.Contains(label)) seen.Add(label.ToString());
            anyRow = true;
        }
        if (!anyRow) throw schema.HeaderOnly();
        return ClassMap.FromDistinct(seen);
    }

    private IEnumerable<CsvBatch> Batches(int batchSize)
    {
        var classes = _options.Regression ? null : Classes();
        using var tokenizer = Open();
        var schema = CsvSchema.ReadHeader(tokenizer, _options);
        int width = schema.FeatureColumns.Length;
        bool anyRow = false;
        while (true)
        {
            var features = new float[batchSize * width];
            var labels = classes is null ? null : new int[batchSize];
            var targets = classes is null ? new float[batchSize] : null;
            int rows = 0;
            while (rows < batchSize && tokenizer.ReadRecord())
            {
                schema.CheckColumnCount(tokenizer);
                schema.ParseFeatures(tokenizer, features.AsSpan(rows * width, width));
                if (classes is null)
                {
                    targets![rows] = schema.ParseNumber(tokenizer, schema.LabelColumn);
                }
                else
                {
                    var label = schema.Label(tokenizer);
                    if (!classes.TryGetIndex(label, out labels![rows])) throw schema.UnknownClass(tokenizer, label, classes);
                }
                rows++;
            }
            if (rows == 0)
            {
                if (!anyRow) throw schema.HeaderOnly();
                yield break;
            }
            anyRow = true;
            if (rows < batchSize)
            {
                Array.Resize(ref features, rows * width);
                if (labels is not null) Array.Resize(ref labels, rows);
                if (targets is not null) Array.Resize(ref targets, rows);
            }
            yield return new CsvBatch(rows, features, labels, targets);
            if (rows < batchSize) yield break;
        }
    }
}
