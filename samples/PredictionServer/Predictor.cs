using System.Globalization;
using System.Text.Json.Nodes;
using Backprop;
using Backprop.Data;
using Backprop.IO;
using Backprop.NN;
using Backprop.Training;

namespace PredictionServer;

/// <summary>Turns a request's rows or records into the model's answers; one instance serves every request at once.</summary>
public sealed class Predictor
{
    /// <summary>Rows accepted in one request.</summary>
    public const int DefaultMaxRows = 256;

    private readonly Module _model;
    private readonly int _maxRows;
    private readonly int[] _inputShape;
    private readonly bool _outputsAreLogits;
    private readonly bool _regression;
    private readonly IReadOnlyList<string>? _classNames;
    private readonly TableRecords? _table;

    /// <summary>
    /// Serves <paramref name="model"/>. A row holds the values of one input of the shape its file's description gives
    /// (e.g. 1×28×28 for a CNN), or, without one, as many values as the model's first Dense layer takes. When the
    /// description holds a table's preprocessing, records of raw column values are accepted too.
    /// </summary>
    /// <param name="model">The network; only ever predicted with, never changed.</param>
    /// <param name="description">What the model file says about its inputs and outputs; null for a file without one.</param>
    /// <param name="maxRows">Rows (or records) accepted in one request.</param>
    /// <param name="sourceName">The model file's name, for errors in its description.</param>
    /// <exception cref="ArgumentException">Neither the description nor a Dense layer gives the input's shape.</exception>
    /// <exception cref="ModelFormatException">The description's table preprocessing is malformed.</exception>
    public Predictor(Module model, ModelDescription? description, int maxRows, string sourceName = "the model file")
    {
        _model = model;
        _maxRows = maxRows;
        _outputsAreLogits = description?.OutputsAreLogits ?? true;
        _regression = description?.Task == ModelTask.Regression;
        _classNames = description?.ClassNames is { Count: > 0 } names ? names : null;
        _inputShape = description?.InputShape is { Count: > 0 } shape
            ? [.. shape]
            : [FirstDense(model)?.Inputs ?? throw new ArgumentException($"the model {model} has no input shape in its file and no Dense layer to read it from; this server takes rows of numbers.")];
        InputWidth = _inputShape.Aggregate(1, (product, size) => product * size);
        if (description?.Preprocessing is { } preprocessing && IsTable(preprocessing))
            _table = new TableRecords(TablePreprocessor.FromJson(preprocessing, description.ClassNames ?? [], sourceName));
        using (InferenceMode.Enter()) Outputs = model.Forward(Tensor.Zeros(model.DType, [1, .. _inputShape])).Shape[^1];
    }

    /// <summary>Values per row: the product of the input's shape.</summary>
    public int InputWidth { get; }

    /// <summary>Outputs per row: the classes of a classifier, the values of a regression model.</summary>
    public int Outputs { get; }

    /// <summary>What <c>GET /health</c> answers.</summary>
    public Health Health => new("ok", InputWidth, _regression ? "regression" : "classification", _regression ? null : Outputs, _table?.Preprocessor.InputColumns);

    /// <summary>The predictions, or a one-line reason the request is invalid and the status to answer with (413 too many rows, else 400).</summary>
    public (PredictResponse? Response, string? Problem, int Status) Predict(PredictRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if ((request.Rows is null) == (request.Records is null))
            return (null, "send either \"rows\" (arrays of the model's input values) or \"records\" (objects of a table's column values), not both", 400);
        int count = request.Rows?.Length ?? request.Records!.Length;
        string noun = request.Rows is null ? "records" : "rows";
        if (count == 0) return (null, $"{noun} is empty: send at least one", 400);
        if (count > _maxRows) return (null, $"too many {noun}: {count}, at most {_maxRows} per request", 413);
        var values = new float[count * InputWidth];
        string? problem = request.Rows is { } rows ? CopyRows(rows, values) : EncodeRecords(request.Records!, values);
        if (problem is not null) return (null, problem, 400);

        var outputs = Probabilities(_model, Tensor.FromArray(values, [count, .. _inputShape]), _outputsAreLogits && !_regression);
        var predictions = new Prediction[count];
        for (int i = 0; i < count; i++) predictions[i] = Answer(outputs.AsSpan(i * Outputs, Outputs));
        return (new PredictResponse(predictions), null, 200);
    }

    /// <summary>
    /// The model's outputs for <paramref name="inputs"/> as probabilities, row by row, as <c>backprop predict</c> prints
    /// them: the softmax of logits, the outputs themselves otherwise.
    /// </summary>
    public static float[] Probabilities(Module model, Tensor inputs, bool outputsAreLogits = true)
    {
        var outputs = model.Predict(inputs);
        if (!outputsAreLogits) return outputs.ToFloatArray();
        using (InferenceMode.Enter()) return outputs.Softmax().ToFloatArray();
    }

    private Prediction Answer(ReadOnlySpan<float> outputs)
    {
        if (_regression)
        {
            var values = new float[outputs.Length];
            for (int j = 0; j < values.Length; j++) values[j] = (float)(_table?.Preprocessor.ToTarget(outputs[j]) ?? outputs[j]);
            return values.Length == 1 ? new Prediction(null, null) { Value = values[0] } : new Prediction(null, null) { Values = values };
        }
        int best = 0;
        for (int c = 1; c < outputs.Length; c++) if (outputs[c] > outputs[best]) best = c;
        return new Prediction(best, outputs.ToArray()) { Label = _classNames is { } names && best < names.Count ? names[best] : null };
    }

    private string? CopyRows(float[][] rows, float[] values)
    {
        for (int i = 0; i < rows.Length; i++)
        {
            if (rows[i] is null || rows[i].Length != InputWidth)
                return string.Create(CultureInfo.InvariantCulture, $"row {i} has {rows[i]?.Length ?? 0} values, the model takes {InputWidth}");
            rows[i].CopyTo(values, i * InputWidth);
        }
        return null;
    }

    private string? EncodeRecords(Dictionary<string, System.Text.Json.JsonElement>?[] records, float[] values)
    {
        if (_table is null)
            return $"this model was not trained on a table, so it takes \"rows\" of {InputWidth} numbers, not \"records\"";
        for (int i = 0; i < records.Length; i++)
            if (_table.Encode(records[i], i, values.AsSpan(i * InputWidth, InputWidth)) is { } problem) return problem;
        return null;
    }

    private static bool IsTable(JsonObject preprocessing) =>
        preprocessing["kind"] is JsonValue kind && kind.TryGetValue(out string? name) && name == TablePreprocessor.Kind;

    private static Dense? FirstDense(Module module) => module is Dense dense
        ? dense
        : module.NamedChildren().Select(child => FirstDense(child.Module)).FirstOrDefault(found => found is not null);
}
