using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Backprop.IO;

namespace Backprop.Data;

/// <summary>How one raw column becomes feature values: a fitted imputation and scaling, or a one-hot vocabulary.</summary>
internal abstract class ColumnEncoding(string name, bool indicator)
{
    /// <summary>The raw column's name in the header.</summary>
    public string Name { get; } = name;

    /// <summary>Whether a 0/1 "missing" feature follows the column's values.</summary>
    public bool Indicator { get; } = indicator;

    /// <summary>How many features the column becomes.</summary>
    public abstract int Width { get; }

    /// <summary>The names of the features it becomes, in order.</summary>
    public abstract IEnumerable<string> FeatureNames { get; }

    /// <summary>Writes the column's <see cref="Width"/> features for one cell; returns whether the value went to "other" unseen.</summary>
    public abstract bool Encode(ReadOnlySpan<char> field, bool missing, Span<float> destination, string fileName, long line);

    public abstract JsonObject ToJson();

    protected string IndicatorName => Name + "_missing";

    public static ColumnEncoding FromJson(JsonNode? node, string source)
    {
        if (node is not JsonObject json) throw Error(source, $"a column must be an object, got {Quote.Json(node)}");
        string name = Text(json["name"], "name", source);
        bool indicator = json["indicator"] is JsonValue flag && flag.GetValueKind() == JsonValueKind.True;
        return Text(json["type"], "type", source) switch
        {
            "numeric" => new NumericEncoding(name, Number(json["fill"], "fill", source), Number(json["offset"], "offset", source), Positive(json["scale"], source), indicator),
            "categorical" => new CategoricalEncoding(name, Categories(json["categories"], source), Text(json["fill"], "fill", source), indicator),
            var other => throw Error(source, $"column type '{Quote.Short(other)}' is neither numeric nor categorical"),
        };
    }

    protected static ModelFormatException Error(string source, string problem) => new(source, $"the table preprocessing: {problem}");

    private static string Text(JsonNode? node, string field, string source) =>
        node is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : throw Error(source, $"\"{field}\" must be a string, got {Quote.Json(node)}");

    private static float Number(JsonNode? node, string field, string source) =>
        TryNumber(node, out double number) && float.IsFinite((float)number)
            ? (float)number : throw Error(source, $"\"{field}\" must be a finite number, got {Quote.Json(node)}");

    /// <summary>A JSON number, whether parsed from text (a double) or built in memory from a float.</summary>
    internal static bool TryNumber(JsonNode? node, out double number)
    {
        number = 0;
        if (node is not JsonValue value || value.GetValueKind() != JsonValueKind.Number) return false;
        if (value.TryGetValue(out number)) return true;
        if (!value.TryGetValue(out float single)) return false;
        number = single;
        return true;
    }

    private static float Positive(JsonNode? node, string source)
    {
        float scale = Number(node, "scale", source);
        return scale > 0 ? scale : throw Error(source, $"\"scale\" must be positive, got {Quote.Json(node)}");
    }

    private static string[] Categories(JsonNode? node, string source)
    {
        if (node is not JsonArray { Count: <= TablePreprocessor.MaxCategoriesInFile } array)
            throw Error(source, string.Create(CultureInfo.InvariantCulture, $"\"categories\" must be an array of at most {TablePreprocessor.MaxCategoriesInFile} strings"));
        return [.. array.Select(item => Text(item, "categories", source))];
    }
}

/// <summary>A numeric column: a missing cell takes <see cref="Fill"/> (the training median), then x' = (x − Offset) / Scale.</summary>
internal sealed class NumericEncoding(string name, float fill, float offset, float scale, bool indicator) : ColumnEncoding(name, indicator)
{
    public float Fill { get; } = fill;

    public float Offset { get; } = offset;

    public float Scale { get; } = scale;

    public override int Width => Indicator ? 2 : 1;

    public override IEnumerable<string> FeatureNames => Indicator ? [Name, IndicatorName] : [Name];

    public override bool Encode(ReadOnlySpan<char> field, bool missing, Span<float> destination, string fileName, long line)
    {
        float value = Fill;
        if (!missing)
        {
            var kind = CsvNumbers.Parse(field, out value);
            if (kind != CsvNumbers.Kind.Number)
                throw DataFormatException.AtLine(fileName, line, $"column '{Quote.Short(Name)}' value '{Quote.Short(field.Trim().ToString())}' {CsvNumbers.Problem(kind)}; the model reads it as a number");
        }
        destination[0] = (value - Offset) / Scale;
        if (Indicator) destination[1] = missing ? 1 : 0;
        return false;
    }

    public override JsonObject ToJson() => new()
    {
        ["name"] = Name, ["type"] = "numeric", ["fill"] = Fill, ["offset"] = Offset, ["scale"] = Scale, ["indicator"] = Indicator,
    };
}

/// <summary>
/// A categorical column: one 0/1 feature per known category and a last one for "other" (rarer values and values never
/// seen in training); a missing cell takes <see cref="Fill"/>, the training rows' most frequent value.
/// </summary>
internal sealed class CategoricalEncoding : ColumnEncoding
{
    public const string Other = "other";

    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _lookup;

    public CategoricalEncoding(string name, string[] categories, string fill, bool indicator) : base(name, indicator)
    {
        Categories = categories;
        Fill = fill;
        var indices = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < categories.Length; i++) indices.TryAdd(categories[i], i);
        _lookup = indices.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    public string[] Categories { get; }

    public string Fill { get; }

    public override int Width => Categories.Length + 1 + (Indicator ? 1 : 0);

    public override IEnumerable<string> FeatureNames =>
        [.. Categories.Select(category => $"{Name}={category}"), $"{Name}={Other}", .. Indicator ? new[] { IndicatorName } : []];

    /// <summary>The one-hot position of a value: its category, or "other".</summary>
    public int IndexOf(ReadOnlySpan<char> key) => _lookup.TryGetValue(key, out int index) ? index : Categories.Length;

    public override bool Encode(ReadOnlySpan<char> field, bool missing, Span<float> destination, string fileName, long line)
    {
        destination[..(Categories.Length + 1)].Clear();
        int index = missing ? IndexOf(Fill) : IndexOf(Key(field));
        destination[index] = 1;
        if (Indicator) destination[Categories.Length + 1] = missing ? 1 : 0;
        return index == Categories.Length;
    }

    /// <summary>A cell's category: numbers in canonical form ("1.0" is "1"), other text trimmed.</summary>
    public static ReadOnlySpan<char> Key(ReadOnlySpan<char> field) =>
        CsvNumbers.Parse(field, out float value) == CsvNumbers.Kind.Number ? CsvNumbers.Canonical(value) : field.Trim();

    public override JsonObject ToJson() => new()
    {
        ["name"] = Name, ["type"] = "categorical", ["categories"] = new JsonArray([.. Categories.Select(c => (JsonNode)c)]), ["fill"] = Fill, ["indicator"] = Indicator,
    };
}
