using System.Text.Json;
using System.Text.Json.Serialization;

namespace PredictionServer;

/// <summary>
/// <c>POST /predict</c>'s body: one array of numbers per example (<c>rows</c>: the model's input values), or, for a
/// model trained on a table, one object of raw column values per example (<c>records</c>); exactly one of the two.
/// </summary>
public sealed record PredictRequest(
    [property: JsonPropertyName("rows")] float[][]? Rows,
    [property: JsonPropertyName("records")] Dictionary<string, JsonElement>?[]? Records = null);

/// <summary>The answer: one prediction per row, in order.</summary>
public sealed record PredictResponse([property: JsonPropertyName("predictions")] Prediction[] Predictions);

/// <summary>
/// One example's answer. A classifier gives its most probable class, that class's name when the model file names its
/// classes, and the probability of every class; a regression model gives its value (in the target's own units for a
/// table model), or its values when it has several outputs.
/// </summary>
public sealed record Prediction(
    [property: JsonPropertyName("class"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? Class,
    [property: JsonPropertyName("probabilities"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] float[]? Probabilities)
{
    /// <summary>The predicted class's name; null when the model file names no classes, or for regression.</summary>
    [JsonPropertyName("label"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull), JsonPropertyOrder(-1)]
    public string? Label { get; init; }

    /// <summary>A one-output regression model's prediction (to float precision, as the network computes it); null for classification.</summary>
    [JsonPropertyName("value"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public float? Value { get; init; }

    /// <summary>A several-output regression model's predictions; null otherwise.</summary>
    [JsonPropertyName("values"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public float[]? Values { get; init; }
}

/// <summary>Why a request was refused, in one line.</summary>
public sealed record Problem([property: JsonPropertyName("error")] string Error);

/// <summary>
/// <c>GET /health</c>: the server is up, and what its model takes and gives: values per row, the task, the number
/// of classes (classification) and, for a table model, the columns a record may hold.
/// </summary>
public sealed record Health(
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("inputs")] int Inputs,
    [property: JsonPropertyName("task")] string Task,
    [property: JsonPropertyName("classes"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? Classes,
    [property: JsonPropertyName("columns"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<string>? Columns);

/// <summary>Serialisation compiled ahead of time, as the slim builder expects.</summary>
[JsonSerializable(typeof(PredictRequest))]
[JsonSerializable(typeof(PredictResponse))]
[JsonSerializable(typeof(Problem))]
[JsonSerializable(typeof(Health))]
public sealed partial class PredictionJson : JsonSerializerContext;
