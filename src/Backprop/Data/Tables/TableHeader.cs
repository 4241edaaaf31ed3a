using Backprop.IO;

namespace Backprop.Data;

/// <summary>A table's header resolved against <see cref="TableOptions"/>: the label, the identifier and the feature columns by position.</summary>
internal sealed class TableHeader
{
    private TableHeader(string fileName, long line, string[] names, int label, int? id, int[] features)
    {
        FileName = fileName;
        Line = line;
        Names = names;
        Label = label;
        Id = id;
        Features = features;
    }

    public string FileName { get; }

    public long Line { get; }

    public string[] Names { get; }

    public int Label { get; }

    public int? Id { get; }

    /// <summary>The feature columns' positions in file order: every column but the label, the identifier and the ignored ones.</summary>
    public int[] Features { get; }

    public string LabelName => Names[Label];

    /// <summary>Reads the header row's names; the empty file and duplicate names are errors.</summary>
    public static string[] ReadNames(CsvTokenizer tokenizer)
    {
        if (!tokenizer.ReadRecord())
            throw DataFormatException.AtLine(tokenizer.FileName, 1, "empty file; expected a header row of column names");
        var names = new string[tokenizer.FieldCount];
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < names.Length; i++)
        {
            names[i] = tokenizer.Field(i).Trim().ToString();
            if (!seen.Add(names[i]))
                throw DataFormatException.AtLine(tokenizer.FileName, tokenizer.RecordLine, $"column '{Quote.Short(names[i])}' appears twice in the header; give each column its own name");
        }
        return names;
    }

    /// <summary>The header of a training table, resolved: the label must exist, named columns too, and one feature must remain.</summary>
    public static TableHeader Read(CsvTokenizer tokenizer, TableOptions options, char delimiter)
    {
        var names = ReadNames(tokenizer);
        string file = tokenizer.FileName;
        long line = tokenizer.RecordLine;
        string hint = CsvSchema.DelimiterHint(names, delimiter);
        int label;
        if (options.LabelColumn is { } wanted)
        {
            label = Array.IndexOf(names, wanted);
            if (label < 0) throw DataFormatException.AtLine(file, line, $"no label column '{Quote.Short(wanted)}'; the columns are {List(names)}{hint}");
        }
        else
        {
            int index = options.LabelIndex ?? -1;
            label = index < 0 ? names.Length + index : index;
            if (label < 0 || label >= names.Length)
                throw DataFormatException.AtLine(file, line, $"label column index {index} is outside the {names.Length} columns {List(names)}{hint}");
        }
        int? id = options.IdColumn is { } idName ? Column(names, idName, "--id-column", file, line) : null;
        if (id == label) throw new ArgumentException($"The id column '{Quote.Short(names[label])}' is the label column.");
        var left = new HashSet<int>();
        foreach (string ignored in options.Ignore) left.Add(Column(names, ignored, "--ignore", file, line));
        if (left.Contains(label)) throw new ArgumentException($"--ignore names the label column '{Quote.Short(names[label])}'.");
        foreach (string categorical in options.Categorical)
        {
            int column = Column(names, categorical, "--categorical", file, line);
            if (column == label || column == id || left.Contains(column))
                throw new ArgumentException($"--categorical names '{Quote.Short(categorical)}', which is not a feature column (the label, the id or ignored).");
        }
        int[] features = [.. Enumerable.Range(0, names.Length).Where(c => c != label && c != id && !left.Contains(c))];
        if (features.Length == 0)
            throw DataFormatException.AtLine(file, line, $"no feature columns are left besides the label '{Quote.Short(names[label])}'{hint}");
        return new TableHeader(file, line, names, label, id, features);
    }

    private static int Column(string[] names, string name, string option, string file, long line)
    {
        int index = Array.IndexOf(names, name);
        return index >= 0 ? index : throw DataFormatException.AtLine(file, line, $"{option} names '{Quote.Short(name)}', which is not a column; the columns are {List(names)}");
    }

    public static string List(string[] names) =>
        string.Join(", ", names.Take(20).Select(name => $"'{Quote.Short(name)}'")) + (names.Length > 20 ? $" and {names.Length - 20} more" : "");
}
