using System.Globalization;
using Backprop.IO;

namespace Backprop.Data;

/// <summary>
/// The first pass over a training table: which feature columns are numeric and which categorical, every kept row's
/// label, the rows dropped for a missing label, and the task (given, or decided from the label).
/// </summary>
internal sealed class TableScan
{
    private TableScan(TableHeader header, char delimiter, bool[] categorical, long dropped, TableLabels labels, List<string> notes, int[] keptAtChunk)
    {
        KeptAtChunk = keptAtChunk;
        Header = header;
        Delimiter = delimiter;
        Categorical = categorical;
        Dropped = dropped;
        Labels = labels;
        Notes = notes;
    }

    public TableHeader Header { get; }

    public char Delimiter { get; }

    /// <summary>Per feature (in <see cref="TableHeader.Features"/> order), whether it is categorical.</summary>
    public bool[] Categorical { get; }

    /// <summary>Rows left out because their label was missing.</summary>
    public long Dropped { get; }

    public TableLabels Labels { get; }

    public int Rows => Labels.Count;

    /// <summary>For chunk k (data records k·<see cref="ChunkIndex.Rows"/> on, dropped ones counted), how many rows were kept before it.</summary>
    public int[] KeptAtChunk { get; }

    /// <summary>Choices the reader made that a user should hear about, one line each.</summary>
    public List<string> Notes { get; }

    public static TableScan Run(Func<Stream> open, string name, TableOptions options)
    {
        char delimiter = options.Delimiter ?? TableFile.DetectDelimiter(open);
        using var tokenizer = TableFile.Tokenizer(open, name, delimiter);
        var header = TableHeader.Read(tokenizer, options, delimiter);
        var missing = new MissingMarkers(options.MissingValues);
        var features = header.Features;
        var forced = new HashSet<string>(options.Categorical, StringComparer.Ordinal);
        var columns = features.Select(column => new ColumnKind(forced.Contains(header.Names[column]))).ToArray();
        var labels = new TableLabels();
        long dropped = 0;
        var keptAtChunk = new List<int>();
        while ((options.Limit is not long limit || labels.Count + dropped < limit) && tokenizer.ReadRecord())
        {
            CheckWidth(tokenizer, header);
            if ((labels.Count + dropped) % ChunkIndex.Rows == 0) keptAtChunk.Add(labels.Count);
            if (labels.Count == Array.MaxLength - 1)
                throw DataFormatException.AtLine(name, tokenizer.RecordLine, $"more than {Array.MaxLength - 1:N0} rows; read a part with a limit");
            var label = tokenizer.Field(header.Label);
            if (missing.IsMissing(label))
            {
                dropped++;
                continue;
            }
            labels.Add(label, name, tokenizer.RecordLine, header.LabelName);
            for (int i = 0; i < features.Length; i++)
            {
                var field = tokenizer.Field(features[i]);
                if (!missing.IsMissing(field)) columns[i].See(field, tokenizer.RecordLine);
            }
        }
        if (labels.Count == 0)
            throw DataFormatException.AtLine(name, header.Line, dropped > 0 ? $"every one of the {dropped} rows has a missing label '{Quote.Short(header.LabelName)}'" : "header row but no data rows");

        var notes = new List<string>();
        if (options.Delimiter is null && delimiter != ',') notes.Add($"delimiter: {(delimiter == '\t' ? "tab" : $"'{delimiter}'")} (detected from the header)");
        if (dropped > 0) notes.Add(string.Create(CultureInfo.InvariantCulture, $"dropped {dropped} rows with a missing label '{Quote.Short(header.LabelName)}'"));
        for (int i = 0; i < features.Length; i++)
            columns[i].Explain(header.Names[features[i]], name, notes);
        return new TableScan(header, delimiter, [.. columns.Select(column => column.IsCategorical)], dropped, labels, notes, [.. keptAtChunk]);
    }

    public static void CheckWidth(CsvTokenizer tokenizer, TableHeader header)
    {
        if (tokenizer.FieldCount != header.Names.Length)
            throw DataFormatException.AtLine(header.FileName, tokenizer.RecordLine,
                $"expected {header.Names.Length} columns (as in the header), found {tokenizer.FieldCount}");
    }

    /// <summary>What the values of one feature column say about its kind.</summary>
    private sealed class ColumnKind(bool forced)
    {
        private long _numbers, _texts;
        private string? _firstText, _firstBad;
        private long _firstTextLine, _firstBadLine;
        private CsvNumbers.Kind _badKind;

        public bool IsCategorical => forced || _texts > 0;

        public void See(ReadOnlySpan<char> field, long line)
        {
            var kind = CsvNumbers.Parse(field, out _);
            if (kind == CsvNumbers.Kind.Number)
            {
                _numbers++;
                return;
            }
            if (kind == CsvNumbers.Kind.Text)
            {
                if (_texts++ == 0) (_firstText, _firstTextLine) = (Quote.Short(field.Trim().ToString()), line);
                return;
            }
            if (_firstBad is null) (_firstBad, _firstBadLine, _badKind) = (Quote.Short(field.Trim().ToString()), line, kind);
        }

        public void Explain(string name, string file, List<string> notes)
        {
            if (!IsCategorical && _firstBad is not null)
                throw DataFormatException.AtLine(file, _firstBadLine, $"column '{Quote.Short(name)}' value '{_firstBad}' {CsvNumbers.Problem(_badKind)}");
            if (_numbers + _texts + (_firstBad is null ? 0 : 1) == 0)
                throw DataFormatException.InFile(file, $"column '{Quote.Short(name)}' is empty in every row; leave it out with --ignore '{Quote.Short(name)}'");
            if (!forced && _texts > 0 && _numbers >= 9 * _texts)
                notes.Add(string.Create(CultureInfo.InvariantCulture,
                    $"column '{Quote.Short(name)}' is categorical: {_texts} of its values are not numbers (first '{_firstText}' on line {_firstTextLine}) among {_numbers} numbers; if those are missing-value markers, list them with --na-values"));
        }
    }
}
