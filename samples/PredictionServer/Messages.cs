using System.Text.Json.Serialization;

namespace PredictionServer;

/// <summary><c>POST /predict</c>'s body: one array of numbers per example.</summary>
public sealed record PredictRequest([property: JsonPropertyName("rows")] float[][]? Rows);

/// <summary>The answer: one prediction per row, in order.</summary>
public sealed record PredictResponse([property: JsonPropertyName("predictions")] Prediction[] Predictions);

/// <summary>A row's most probable class and the probability of every class.</summary>
public sealed record Prediction([property: JsonPropertyName("class")] int Class, [property: JsonPropertyName("probabilities")] float[] Probabilities);

/// <summary>Why a request was refused, in one line.</summary>
public sealed record Problem([property: JsonPropertyName("error")] string Error);

/// <summary><c>GET /health</c>: the server is up, and what its model takes and gives.</summary>
public sealed record Health([property: JsonPropertyName("status")] string Status, [property: JsonPropertyName("inputs")] int Inputs, [property: JsonPropertyName("classes")] int Classes);

/// <summary>Serialisation compiled ahead of time, as the slim builder expects.</summary>
[JsonSerializable(typeof(PredictRequest))]
[JsonSerializable(typeof(PredictResponse))]
[JsonSerializable(typeof(Problem))]
[JsonSerializable(typeof(Health))]
public sealed partial class PredictionJson : JsonSerializerContext;
