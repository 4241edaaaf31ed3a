namespace Backprop.Data;

/// <summary>
/// How <see cref="CsvReader"/> and <see cref="CsvTable"/> read a CSV file: which column is the
/// label, whether it holds classes or a number to regress, and the delimiter. Every other column is
/// a numeric feature.
/// </summary>
/// <example>
/// <code>
/// var options = new CsvOptions { LabelColumn = "species" };
/// var regression = new CsvOptions { LabelIndex = 0, Regression = true };
/// </code>
/// </example>
public sealed record CsvOptions
{
    /// <summary>The label column by its header name (exact, case-sensitive). Set this or <see cref="LabelIndex"/>, not both.</summary>
    public string? LabelColumn { get; init; }

    /// <summary>
    /// The label column by its 0-based position; negative counts from the end (−1 is the last).
    /// When neither this nor <see cref="LabelColumn"/> is set, the label is the last column.
    /// </summary>
    public int? LabelIndex { get; init; }

    /// <summary>
    /// <see langword="true"/>: the label is a number, kept as a float target. <see langword="false"/>
    /// (default): the label names a class and is mapped to a class index.
    /// </summary>
    public bool Regression { get; init; }

    /// <summary>
    /// The classes, in class-index order, when they must match another file (read a test file with
    /// the training file's <see cref="CsvTable.ClassNames"/>); a label not in the list is an error.
    /// When <see langword="null"/>, the classes are the distinct labels found in the file: sorted by
    /// value when all are integers (so labels 0..k−1 keep their values), otherwise in ordinal string order.
    /// </summary>
    public IReadOnlyList<string>? ClassNames { get; init; }

    /// <summary>The field separator; <c>','</c> by default, <c>';'</c> or <c>'\t'</c> for other dialects.</summary>
    public char Delimiter { get; init; } = ',';

    internal void Validate()
    {
        if (LabelColumn is not null && LabelIndex is not null)
            throw new ArgumentException($"Choose the label column by name ('{LabelColumn}') or by index ({LabelIndex}), not both.");
        if (Regression && ClassNames is not null)
            throw new ArgumentException("ClassNames apply to class labels; a regression label is a number.");
        if (ClassNames is { Count: 0 })
            throw new ArgumentException("ClassNames is empty; give at least one class or leave it null to discover the classes.");
        if (ClassNames is not null && ClassNames.Distinct(StringComparer.Ordinal).Count() != ClassNames.Count)
            throw new ArgumentException($"ClassNames has duplicates: {string.Join(", ", ClassNames)}.");
        if (Delimiter is '"' or '\r' or '\n')
            throw new ArgumentException($"Delimiter '{Delimiter}' cannot separate fields; use ',', ';' or '\\t'.");
    }
}
