using System.Globalization;
using Backprop.IO;

namespace Backprop.Data;

/// <summary>A CSV file's header resolved against <see cref="CsvOptions"/>: which column is the label, which are features, and how a row's fields are checked and parsed.</summary>
internal sealed class CsvSchema
{
    private CsvSchema(string fileName, long headerLine, string[] columnNames, int labelColumn)
    {
        FileName = fileName;
        HeaderLine = headerLine;
        ColumnNames = columnNames;
        LabelColumn = labelColumn;
        FeatureColumns = [.. Enumerable.Range(0, columnNames.Length).Where(column => column != labelColumn)];
        FeatureNames = [.. FeatureColumns.Select(column => columnNames[column])];
    }

    public string FileName { get; }
    public long HeaderLine { get; }
    public string[] ColumnNames { get; }
    public int LabelColumn { get; }
    public string LabelName => ColumnNames[LabelColumn];
    public int[] FeatureColumns { get; }
    public string[] FeatureNames { get; }

    public static CsvSchema ReadHeader(CsvTokenizer tokenizer, CsvOptions options)
    {
        string file = tokenizer.FileName;
        if (!tokenizer.ReadRecord())
            throw DataFormatException.AtLine(file, 1, "empty file; expected a header row of column names");
        var names = new string[tokenizer.FieldCount];
        for (int i = 0; i < names.Length; i++) names[i] = tokenizer.Field(i).Trim().ToString();
        long line = tokenizer.RecordLine;
        string columns = string.Join(", ", names.Take(20).Select(name => $"'{Quote.Short(name)}'")) + (names.Length > 20 ? $" and {names.Length - 20} more" : "");

        int label;
        if (options.LabelColumn is { } wanted)
        {
            label = Array.IndexOf(names, wanted);
            if (label < 0)
                throw DataFormatException.AtLine(file, line, $"no label column '{Quote.Short(wanted)}'; the columns are {columns}{DelimiterHint(names, options.Delimiter)}");
            if (Array.LastIndexOf(names, wanted) != label)
                throw DataFormatException.AtLine(file, line, $"label column '{Quote.Short(wanted)}' appears more than once; choose it by index instead");
        }
        else
        {
            int index = options.LabelIndex ?? -1;
            label = index < 0 ? names.Length + index : index;
            if (label < 0 || label >= names.Length)
                throw DataFormatException.AtLine(file, line, $"label column index {index} is outside the {names.Length} columns {columns}");
        }
        if (names.Length < 2)
            throw DataFormatException.AtLine(file, line, $"only the label column {columns}; at least one feature column is needed{DelimiterHint(names, options.Delimiter)}");
        return new CsvSchema(file, line, names, label);
    }

    /// <summary>For a header read as one column that holds another common delimiter: the likely cause, as a hint to append.</summary>
    public static string DelimiterHint(string[] names, char delimiter)
    {
        if (names.Length != 1) return "";
        foreach (char candidate in new[] { ';', '\t', ',', '|' })
            if (candidate != delimiter && names[0].Contains(candidate, StringComparison.Ordinal))
                return candidate == '\t' ? "; the header has one column: is the delimiter a tab?" : $"; the header has one column: is the delimiter '{candidate}'?";
        return "";
    }

    public DataFormatException HeaderOnly() =>
        DataFormatException.AtLine(FileName, HeaderLine, "header row but no data rows");

    public void CheckColumnCount(CsvTokenizer tokenizer)
    {
        if (tokenizer.FieldCount != ColumnNames.Length)
            throw DataFormatException.AtLine(FileName, tokenizer.RecordLine,
                $"expected {ColumnNames.Length} columns (as in the header), found {tokenizer.FieldCount}");
    }

    public void ParseFeatures(CsvTokenizer tokenizer, Span<float> destination)
    {
        for (int i = 0; i < FeatureColumns.Length; i++) destination[i] = ParseNumber(tokenizer, FeatureColumns[i]);
    }

    public float ParseNumber(CsvTokenizer tokenizer, int column)
    {
        var text = tokenizer.Field(column);
        var kind = CsvNumbers.Parse(text, out float value);
        if (kind == CsvNumbers.Kind.Number) return value;
        throw DataFormatException.AtLine(FileName, tokenizer.RecordLine, $"column '{Quote.Short(ColumnNames[column])}' value '{Quote.Short(text.ToString())}' {CsvNumbers.Problem(kind)}");
    }

    public ReadOnlySpan<char> Label(CsvTokenizer tokenizer)
    {
        var label = tokenizer.Field(LabelColumn).Trim();
        if (label.IsEmpty)
            throw DataFormatException.AtLine(FileName, tokenizer.RecordLine, $"label column '{Quote.Short(LabelName)}' is empty");
        return label;
    }

    public DataFormatException UnknownClass(CsvTokenizer tokenizer, ReadOnlySpan<char> label, ClassMap classes) =>
        DataFormatException.AtLine(FileName, tokenizer.RecordLine,
            $"label '{Quote.Short(label.ToString())}' in column '{Quote.Short(LabelName)}' is not one of the classes {Quote.Short(string.Join(", ", classes.Names))}");
}
