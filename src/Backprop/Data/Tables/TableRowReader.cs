using Backprop.IO;

namespace Backprop.Data;

/// <summary>
/// Reads a table's rows one at a time and encodes them with a fitted preprocessing: the file's header is matched to the
/// preprocessing's columns by name, so a file may order its columns differently and hold others (they are ignored).
/// </summary>
internal sealed class TableRowReader : IDisposable
{
    private readonly CsvTokenizer _tokenizer;
    private readonly TablePreprocessor _preprocessor;
    private readonly int[] _positions;
    private readonly int _label = -1;
    private readonly int _id = -1;
    private readonly int _width;
    private readonly ClassMap? _classes;
    // Per column, the numeric encoding when a cell that starts with a digit cannot be a missing marker, for Encode's fast path; otherwise null.
    private readonly NumericEncoding?[] _plainNumbers;

    private TableRowReader(CsvTokenizer tokenizer, string[] names, TablePreprocessor preprocessor, bool labelled, char separator)
    {
        _preprocessor = preprocessor;
        _tokenizer = tokenizer;
        Names = names;
        string name = tokenizer.FileName;
        try
        {
            _width = names.Length;
            var missing = preprocessor.InputColumns.Where(column => Array.IndexOf(names, column) < 0).ToArray();
            if (missing.Length > 0)
                throw DataFormatException.AtLine(name, _tokenizer.RecordLine,
                    $"no column{(missing.Length > 1 ? "s" : "")} {TableHeader.List(missing)}, which the model reads; the columns are {TableHeader.List(names)}{CsvSchema.DelimiterHint(names, separator)}");
            _positions = [.. preprocessor.InputColumns.Select(column => Array.IndexOf(names, column))];
            _plainNumbers = [.. preprocessor.Columns.Select(column =>
                column is NumericEncoding { Indicator: false } numeric && !preprocessor.Missing.IntegerMarkers ? numeric : null)];
            if (labelled)
            {
                _label = Array.IndexOf(names, preprocessor.LabelColumn);
                if (_label < 0)
                    throw DataFormatException.AtLine(name, _tokenizer.RecordLine, $"no label column '{Quote.Short(preprocessor.LabelColumn)}'; the columns are {TableHeader.List(names)}");
                if (preprocessor.Task == Backprop.IO.ModelTask.Classification) _classes = new ClassMap(preprocessor.ClassNames);
            }
            if (preprocessor.IdColumn is { } id) _id = Array.IndexOf(names, id);
        }
        catch
        {
            _tokenizer.Dispose();
            throw;
        }
    }

    /// <summary>Reads the header of the CSV <paramref name="open"/> supplies, then rows from the first.</summary>
    public static TableRowReader Open(Func<Stream> open, string name, TablePreprocessor preprocessor, bool labelled, char? delimiter)
    {
        char separator = delimiter ?? TableFile.DetectDelimiter(open);
        var tokenizer = TableFile.Tokenizer(open, name, separator);
        string[] names;
        try
        {
            names = TableHeader.ReadNames(tokenizer);
        }
        catch
        {
            tokenizer.Dispose();
            throw;
        }
        return new TableRowReader(tokenizer, names, preprocessor, labelled, separator);
    }

    /// <summary>Reads rows from a record that starts at byte <paramref name="offset"/> on line <paramref name="line"/>, with the header read before.</summary>
    public static TableRowReader AtOffset(Func<Stream> open, string name, string[] names, long offset, long line, TablePreprocessor preprocessor, bool labelled, char separator)
    {
        var stream = open();
        try
        {
            stream.Seek(offset, SeekOrigin.Begin);
            var tokenizer = new CsvTokenizer(new StreamReader(stream, System.Text.Encoding.UTF8, detectEncodingFromByteOrderMarks: false, 64 * 1024), name, separator, line);
            return new TableRowReader(tokenizer, names, preprocessor, labelled, separator);
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    /// <summary>The file's column names.</summary>
    public string[] Names { get; }

    public bool HasIds => _id >= 0;

    public bool LabelMissing { get; private set; }

    public long OtherValues { get; private set; }

    public long Line => _tokenizer.RecordLine;

    public bool Next()
    {
        if (!_tokenizer.ReadRecord()) return false;
        if (_tokenizer.FieldCount != _width)
            throw DataFormatException.AtLine(_tokenizer.FileName, _tokenizer.RecordLine, $"expected {_width} columns (as in the header), found {_tokenizer.FieldCount}");
        LabelMissing = _label >= 0 && _preprocessor.Missing.IsMissing(_tokenizer.Field(_label));
        return true;
    }

    public void Encode(Span<float> destination)
    {
        int offset = 0;
        var columns = _preprocessor.Columns;
        for (int i = 0; i < columns.Count; i++)
        {
            var field = _tokenizer.Field(_positions[i]);
            // A small integer (a pixel, a count) with no marker like it: the general path's value, without its checks and calls.
            if (_plainNumbers[i] is { } numeric && CsvNumbers.TryParseSmallInteger(field, out float value))
            {
                destination[offset++] = (value - numeric.Offset) / numeric.Scale;
                continue;
            }
            if (columns[i].Encode(field, _preprocessor.Missing.IsMissing(field), destination.Slice(offset, columns[i].Width), _tokenizer.FileName, _tokenizer.RecordLine))
                OtherValues++;
            offset += columns[i].Width;
        }
    }

    public int ClassIndex()
    {
        var field = _tokenizer.Field(_label);
        var kind = CsvNumbers.Parse(field, out float value);
        ReadOnlySpan<char> text = kind == CsvNumbers.Kind.Number ? CsvNumbers.Canonical(value) : field.Trim();
        if (_classes!.TryGetIndex(text, out int index)) return index;
        throw DataFormatException.AtLine(_tokenizer.FileName, _tokenizer.RecordLine,
            $"label '{Quote.Short(field.Trim().ToString())}' in column '{Quote.Short(_preprocessor.LabelColumn)}' is not one of the model's classes {Quote.Short(string.Join(", ", _classes.Names))}");
    }

    public float StandardisedTarget()
    {
        var field = _tokenizer.Field(_label);
        var kind = CsvNumbers.Parse(field, out float value);
        if (kind != CsvNumbers.Kind.Number)
            throw DataFormatException.AtLine(_tokenizer.FileName, _tokenizer.RecordLine,
                $"label column '{Quote.Short(_preprocessor.LabelColumn)}' value '{Quote.Short(field.Trim().ToString())}' {CsvNumbers.Problem(kind)}; a regression target is a number");
        return (value - _preprocessor.TargetMean) / _preprocessor.TargetStandardDeviation;
    }

    public string Id() => _tokenizer.Field(_id).Trim().ToString();

    public void Dispose() => _tokenizer.Dispose();
}
