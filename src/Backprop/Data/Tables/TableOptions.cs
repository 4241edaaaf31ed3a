using Backprop.IO;

namespace Backprop.Data;

/// <summary>
/// How <see cref="TableData"/> reads a CSV table and how its <see cref="TablePreprocessor"/> is fitted: the label
/// and the task, which cells are missing, which columns are categorical, left out or identifiers, and the scaling.
/// </summary>
/// <example>
/// <code>
/// var options = new TableOptions { LabelColumn = "price", Categorical = ["city"], Ignore = ["date"], Scaling = FeatureScaling.MinMax };
/// </code>
/// </example>
public sealed record TableOptions
{
    /// <summary>Default missing-value markers besides the empty cell, which is always missing.</summary>
    public static readonly IReadOnlyList<string> DefaultMissingValues = ["NA", "NaN", "?"];

    /// <summary>The label column by its header name (exact). Set this or <see cref="LabelIndex"/>, not both; neither means the last column.</summary>
    public string? LabelColumn { get; init; }

    /// <summary>The label column by 0-based position; negative counts from the end (−1 is the last).</summary>
    public int? LabelIndex { get; init; }

    /// <summary>
    /// Classification or regression; null (default) decides from the label: a numeric label with a non-integer value or more than
    /// <see cref="MaxClassesForAutomaticClassification"/> distinct values means regression, anything else classification.
    /// </summary>
    public ModelTask? Task { get; init; }

    /// <summary>Most distinct integer labels that the automatic rule still reads as classes.</summary>
    public const int MaxClassesForAutomaticClassification = 20;

    /// <summary>The field separator; null (default) detects ',', ';' or tab from the header row.</summary>
    public char? Delimiter { get; init; }

    /// <summary>Cell texts (after trimming) that mean "missing", besides the empty cell.</summary>
    public IReadOnlyList<string> MissingValues { get; init; } = DefaultMissingValues;

    /// <summary>Feature columns read as categories (one-hot) even if their values are numbers; text columns are categorical anyway.</summary>
    public IReadOnlyList<string> Categorical { get; init; } = [];

    /// <summary>Width of a categorical column's one-hot encoding, its "other" bucket included: the MaxCategories − 1 most frequent values keep their own column.</summary>
    public int MaxCategories { get; init; } = 50;

    /// <summary>Whether each feature that had a missing cell in the training rows gets a 0/1 column saying which rows had it.</summary>
    public bool MissingIndicators { get; init; }

    /// <summary>How numeric features are scaled; <see cref="FeatureScaling.Standard"/> by default.</summary>
    public FeatureScaling Scaling { get; init; } = FeatureScaling.Standard;

    /// <summary>Columns left out of the features (identifiers, dates).</summary>
    public IReadOnlyList<string> Ignore { get; init; } = [];

    /// <summary>A column that identifies rows: left out of the features, and passed through to predictions.</summary>
    public string? IdColumn { get; init; }

    /// <summary>
    /// Whether <see cref="TableData"/> streams the examples from the file each epoch (true) or holds them in memory
    /// (false); null (default) streams only when they would take more than <see cref="TableData.InMemoryLimitBytes"/>.
    /// </summary>
    public bool? Stream { get; init; }

    /// <summary>Read at most this many data rows; null for all.</summary>
    public long? Limit { get; init; }

    internal void Validate()
    {
        if (LabelColumn is not null && LabelIndex is not null)
            throw new ArgumentException($"Choose the label column by name ('{Quote.Short(LabelColumn)}') or by index ({LabelIndex}), not both.");
        if (Delimiter is '"' or '\r' or '\n')
            throw new ArgumentException($"Delimiter '{Quote.Short(Delimiter.ToString()!)}' cannot separate fields; use ',', ';' or '\\t'.");
        if (MaxCategories < 2)
            throw new ArgumentOutOfRangeException(nameof(MaxCategories), MaxCategories, $"MaxCategories must be ≥ 2 (one value and \"other\"), got {MaxCategories}.");
        if (Limit is < 1)
            throw new ArgumentOutOfRangeException(nameof(Limit), Limit, $"Limit must be ≥ 1, got {Limit}.");
        if (!Enum.IsDefined(Scaling))
            throw new ArgumentOutOfRangeException(nameof(Scaling), Scaling, $"Scaling must be Standard, MinMax, Unit or None, got {(int)Scaling}.");
        ArgumentNullException.ThrowIfNull(MissingValues);
        ArgumentNullException.ThrowIfNull(Categorical);
        ArgumentNullException.ThrowIfNull(Ignore);
    }
}
