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

    public TableRowReader(Func<Stream> open, string name, TablePreprocessor preprocessor, bool labelled, char? delimiter)
    {
        _preprocessor = preprocessor;
        char separator = delimiter ?? TableFile.DetectDelimiter(open);
        _tokenizer = TableFile.Tokenizer(open, name, separator);
        try
        {
            var names = TableHeader.ReadNames(_tokenizer);
            _width = names.Length;
            var missing = preprocessor.InputColumns.Where(column => Array.IndexOf(names, column) < 0).ToArray();
            if (missing.Length > 0)
                throw DataFormatException.AtLine(name, _tokenizer.RecordLine,
                    $"no column{(missing.Length > 1 ? "s" : "")} {TableHeader.List(missing)}, which the model reads; the columns are {TableHeader.List(names)}{CsvSchema.DelimiterHint(names, separator)}");
            _positions = [.. preprocessor.InputColumns.Select(column => Array.IndexOf(names, column))];
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
