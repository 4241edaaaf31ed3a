using System.Text.Json;
using Backprop.Data;
using Backprop.IO;

namespace PredictionServer;

/// <summary>
/// Turns <c>records</c>, raw column values as a CSV row holds them, into a table model's input features with the
/// preprocessing its file stores (imputation, one-hot columns, scaling), as <c>backprop predict</c> does with a CSV.
/// </summary>
internal sealed class TableRecords(TablePreprocessor preprocessor)
{
    // A record may carry the label and id columns too (a row copied from the training file); any other name is a typo
    // that would otherwise pass silently as a missing value.
    private readonly HashSet<string> _known = new([.. preprocessor.InputColumns, preprocessor.LabelColumn, .. preprocessor.IdColumn is null ? [] : new[] { preprocessor.IdColumn }], StringComparer.Ordinal);

    /// <summary>The preprocessing the model file stores.</summary>
    public TablePreprocessor Preprocessor => preprocessor;

    /// <summary>
    /// Writes record <paramref name="index"/>'s features into <paramref name="features"/>: a string or a number is the
    /// cell's text, null or an absent column is a missing cell. Returns a one-line reason the record cannot be read, or null.
    /// </summary>
    public string? Encode(Dictionary<string, JsonElement>? record, int index, Span<float> features)
    {
        if (record is null) return $"record {index} is null: send an object of column values";
        var cells = new Dictionary<string, string?>(record.Count, StringComparer.Ordinal);
        foreach (var (column, value) in record)
        {
            if (!_known.Contains(column))
                return $"record {index} has a column {Quoted(column)} the model does not know; its columns are {string.Join(", ", preprocessor.InputColumns.Take(20).Select(Quoted))}{(preprocessor.InputColumns.Count > 20 ? ", …" : "")}";
            switch (value.ValueKind)
            {
                case JsonValueKind.String: cells[column] = value.GetString(); break;
                case JsonValueKind.Number: cells[column] = value.GetRawText(); break;
                case JsonValueKind.Null: cells[column] = null; break;
                default: return $"record {index}: column {Quoted(column)} must be a string, a number or null, got {value.ValueKind.ToString().ToLowerInvariant()}";
            }
        }
        try
        {
            preprocessor.Transform(cells).CopyTo(features);
            return null;
        }
        catch (DataFormatException error)
        {
            return $"record {index}: {error.Problem}";
        }
    }

    private static string Quoted(string name) => $"\"{Quote.Short(name)}\"";
}
