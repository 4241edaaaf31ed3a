using Backprop.IO;

namespace Backprop.Data;

/// <summary>
/// The label of every kept row as the first pass reads it: numbers while every label is one (one float a row), then
/// text codes once a label is not, so a numeric regression target never costs a string per row.
/// </summary>
internal sealed class TableLabels
{
    /// <summary>Most distinct text labels: a classification with more classes is refused before it allocates a layer that wide.</summary>
    public const int MaxClasses = 100_000;

    private float[] _values = new float[1024];
    private int[]? _codes;
    private Dictionary<string, int>? _texts;
    private readonly HashSet<float> _distinctNumbers = [];

    public int Count { get; private set; }

    public bool AllNumeric => _texts is null;

    /// <summary>Whether any numeric label has a fractional part.</summary>
    public bool AnyFraction { get; private set; }

    /// <summary>A non-integer label seen, for the message that explains the task.</summary>
    public float FirstFraction { get; private set; }

    /// <summary>Distinct numeric labels, counted up to one past the automatic rule's limit.</summary>
    public int DistinctNumbers => _distinctNumbers.Count;

    public void Add(ReadOnlySpan<char> field, string fileName, long line, string labelName)
    {
        var kind = CsvNumbers.Parse(field, out float value);
        if (_texts is null && kind is CsvNumbers.Kind.Number)
        {
            if (Count == _values.Length) Array.Resize(ref _values, 2 * _values.Length);
            _values[Count++] = value;
            if (value != MathF.Round(value) && !AnyFraction)
            {
                AnyFraction = true;
                FirstFraction = value;
            }
            if (_distinctNumbers.Count <= TableOptions.MaxClassesForAutomaticClassification) _distinctNumbers.Add(value);
            return;
        }
        if (_texts is null)
        {
            // The first label that is not a number: the earlier ones become texts in their canonical form.
            _texts = new Dictionary<string, int>(StringComparer.Ordinal);
            _codes = new int[_values.Length];
            for (int row = 0; row < Count; row++) _codes[row] = Code(CsvNumbers.Canonical(_values[row]), fileName, line, labelName);
            _values = [];
        }
        string text = kind == CsvNumbers.Kind.Number ? CsvNumbers.Canonical(value) : field.Trim().ToString();
        if (Count == _codes!.Length) Array.Resize(ref _codes, 2 * _codes.Length);
        _codes[Count++] = Code(text, fileName, line, labelName);
    }

    private int Code(string text, string fileName, long line, string labelName)
    {
        if (_texts!.TryGetValue(text, out int code)) return code;
        if (_texts.Count == MaxClasses)
            throw DataFormatException.AtLine(fileName, line, $"label column '{Quote.Short(labelName)}' has more than {MaxClasses:N0} distinct values, too many classes; if it is a number, train with --task regression");
        code = _texts.Count;
        _texts.Add(text, code);
        return code;
    }

    /// <summary>The numeric labels, for regression (or a numeric classification's values).</summary>
    public ReadOnlySpan<float> Values => _values.AsSpan(0, Count);

    /// <summary>Class index per row and the class names, ordered as <see cref="ClassMap.FromDistinct"/> orders them.</summary>
    public (int[] Labels, string[] ClassNames) Classes()
    {
        if (_texts is null)
        {
            var map = new Dictionary<float, string>();
            foreach (float value in Values) map.TryAdd(value, CsvNumbers.Canonical(value));
            var classes = ClassMap.FromDistinct(map.Values);
            var labels = new int[Count];
            for (int row = 0; row < Count; row++) classes.TryGetIndex(map[_values[row]], out labels[row]);
            return (labels, classes.Names);
        }
        var ordered = ClassMap.FromDistinct(_texts.Keys);
        var renumber = new int[_texts.Count];
        foreach (var (text, code) in _texts) ordered.TryGetIndex(text, out renumber[code]);
        var result = new int[Count];
        for (int row = 0; row < Count; row++) result[row] = renumber[_codes![row]];
        return (result, ordered.Names);
    }
}
