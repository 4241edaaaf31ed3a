using System.Text.Json;
using System.Text.Json.Nodes;
using Backprop.IO;

namespace Backprop.Data;

/// <summary>
/// Everything that turns a raw table row into a network's input and its output back into an answer, fitted on training
/// rows only: per column a missing-value fill (median, or most frequent value), a scaling or a one-hot vocabulary with an
/// "other" bucket, optional 0/1 missing indicators; the task and its classes, or for regression the target's mean and
/// standard deviation (the network learns the standardised target). Saved in the model file (<see cref="ToJson"/>) so
/// that prediction and evaluation read raw rows exactly as training did.
/// </summary>
/// <example>
/// <code>
/// var data = TableData.Load("houses.csv", new TableOptions { LabelColumn = "price" });
/// float[] features = data.Preprocessor.Transform(new Dictionary&lt;string, string?&gt; { ["rooms"] = "3", ["city"] = "Leeds" });
/// </code>
/// </example>
public sealed class TablePreprocessor
{
    /// <summary>The <c>"kind"</c> of the JSON object this preprocessing is saved as.</summary>
    public const string Kind = "table";

    /// <summary>Most categories a column of a model file may list (a bound on what a hostile file makes a reader hold).</summary>
    public const int MaxCategoriesInFile = 100_000;

    private readonly ColumnEncoding[] _columns;

    internal TablePreprocessor(string labelColumn, ModelTask task, string[] classNames, float targetMean, float targetStandardDeviation,
        string[] missingValues, ColumnEncoding[] columns, string? idColumn, FeatureScaling scaling)
    {
        LabelColumn = labelColumn;
        Task = task;
        ClassNames = classNames;
        TargetMean = targetMean;
        TargetStandardDeviation = targetStandardDeviation;
        MissingValues = missingValues;
        Missing = new MissingMarkers(missingValues);
        _columns = columns;
        IdColumn = idColumn;
        Scaling = scaling;
        FeatureNames = [.. columns.SelectMany(column => column.FeatureNames)];
    }

    /// <summary>The label column's name.</summary>
    public string LabelColumn { get; }

    /// <summary>Classification or regression.</summary>
    public ModelTask Task { get; }

    /// <summary>For classification, the classes in output order; empty for regression.</summary>
    public IReadOnlyList<string> ClassNames { get; }

    /// <summary>For regression, the training targets' mean: a prediction is output × <see cref="TargetStandardDeviation"/> + mean.</summary>
    public float TargetMean { get; }

    /// <summary>For regression, the training targets' standard deviation (population); 1 for classification.</summary>
    public float TargetStandardDeviation { get; }

    /// <summary>The cell texts read as missing, besides the empty cell.</summary>
    public IReadOnlyList<string> MissingValues { get; }

    /// <summary>The raw columns the preprocessing reads, in the order their features come.</summary>
    public IReadOnlyList<string> InputColumns => [.. _columns.Select(column => column.Name)];

    /// <summary>The numeric input columns, in order: the columns of an exported graph's <c>"numeric"</c> input.</summary>
    public IReadOnlyList<string> NumericColumns => [.. _columns.OfType<NumericEncoding>().Select(column => column.Name)];

    /// <summary>The categorical input columns, in order: the columns of an exported graph's <c>"categorical"</c> input.</summary>
    public IReadOnlyList<string> CategoricalColumns => [.. _columns.OfType<CategoricalEncoding>().Select(column => column.Name)];

    /// <summary>The names of the features it produces (a one-hot feature is <c>column=value</c>, an indicator <c>column_missing</c>).</summary>
    public IReadOnlyList<string> FeatureNames { get; }

    /// <summary>How many features a row becomes: the network's input width.</summary>
    public int FeatureCount => FeatureNames.Count;

    /// <summary>The identifier column passed through to predictions, or null.</summary>
    public string? IdColumn { get; }

    /// <summary>How numeric columns were scaled.</summary>
    public FeatureScaling Scaling { get; }

    internal MissingMarkers Missing { get; }

    internal IReadOnlyList<ColumnEncoding> Columns => _columns;

    /// <summary>The features of one raw row given as column name → cell text (null or absent for a missing cell).</summary>
    /// <exception cref="DataFormatException">A numeric column's value is not a number.</exception>
    public float[] Transform(IReadOnlyDictionary<string, string?> row)
    {
        ArgumentNullException.ThrowIfNull(row);
        var features = new float[FeatureCount];
        int offset = 0;
        foreach (var column in _columns)
        {
            string? text = row.TryGetValue(column.Name, out var value) ? value : null;
            column.Encode(text, text is null || Missing.IsMissing(text), features.AsSpan(offset, column.Width), "row", 0);
            offset += column.Width;
        }
        return features;
    }

    /// <summary>A network output in the target's units: output × std + mean for regression; unchanged for classification.</summary>
    public double ToTarget(double output) => Task == ModelTask.Regression ? output * TargetStandardDeviation + TargetMean : output;

    /// <summary>The preprocessing as the JSON object a model file stores (<see cref="ModelDescription.Preprocessing"/>).</summary>
    public JsonObject ToJson()
    {
        var json = new JsonObject
        {
            ["kind"] = Kind,
            ["label_column"] = LabelColumn,
            ["task"] = Task == ModelTask.Regression ? "regression" : "classification",
            ["missing_values"] = new JsonArray([.. MissingValues.Select(marker => (JsonNode)marker)]),
            ["scaling"] = Scaling.ToString().ToLowerInvariant(),
            ["columns"] = new JsonArray([.. _columns.Select(column => (JsonNode)column.ToJson())]),
        };
        if (Task == ModelTask.Regression) json["target"] = new JsonObject { ["mean"] = TargetMean, ["std"] = TargetStandardDeviation };
        if (IdColumn is not null) json["id_column"] = IdColumn;
        return json;
    }

    /// <summary>Reads what <see cref="ToJson"/> wrote; the class names come from the model's description.</summary>
    /// <exception cref="ModelFormatException">A field is missing or malformed.</exception>
    public static TablePreprocessor FromJson(JsonObject json, IReadOnlyList<string> classNames, string sourceName)
    {
        ArgumentNullException.ThrowIfNull(json);
        ArgumentNullException.ThrowIfNull(classNames);
        if (json["columns"] is not JsonArray { Count: > 0 and <= CsvTokenizer.MaxFields } columns)
            throw new ModelFormatException(sourceName, $"the table preprocessing needs 1 to {CsvTokenizer.MaxFields:N0} \"columns\"");
        var task = String(json["task"], "task", sourceName) == "regression" ? ModelTask.Regression : ModelTask.Classification;
        float mean = 0, std = 1;
        if (task == ModelTask.Regression)
        {
            mean = Number(json["target"]?["mean"], "target.mean", sourceName);
            std = Number(json["target"]?["std"], "target.std", sourceName);
            if (!(std > 0)) throw new ModelFormatException(sourceName, "the table preprocessing's target.std must be positive");
        }
        var markers = json["missing_values"] is JsonArray list ? list.Select(item => String(item, "missing_values", sourceName)).ToArray() : [.. TableOptions.DefaultMissingValues];
        var scaling = Enum.TryParse<FeatureScaling>(json["scaling"] is JsonValue s && s.GetValueKind() == JsonValueKind.String ? s.GetValue<string>() : "", ignoreCase: true, out var parsed) ? parsed : FeatureScaling.Standard;
        string? id = json["id_column"] is null ? null : String(json["id_column"], "id_column", sourceName);
        return new TablePreprocessor(String(json["label_column"], "label_column", sourceName), task, task == ModelTask.Regression ? [] : [.. classNames],
            mean, std, markers, [.. columns.Select(column => ColumnEncoding.FromJson(column, sourceName))], id, scaling);
    }

    private static string String(JsonNode? node, string field, string source) =>
        node is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>()
            : throw new ModelFormatException(source, $"the table preprocessing's \"{field}\" must be a string, got {Quote.Json(node)}");

    private static float Number(JsonNode? node, string field, string source) =>
        ColumnEncoding.TryNumber(node, out double number) && float.IsFinite((float)number)
            ? (float)number : throw new ModelFormatException(source, $"the table preprocessing's \"{field}\" must be a finite number, got {Quote.Json(node)}");
}
