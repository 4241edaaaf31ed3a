using System.Globalization;
using Backprop;
using Backprop.IO;
using Backprop.NN;
using Backprop.Training;

namespace PredictionServer;

/// <summary>Turns a request's rows into the model's classes and probabilities; one instance serves every request at once.</summary>
public sealed class Predictor
{
    /// <summary>Rows accepted in one request.</summary>
    public const int DefaultMaxRows = 256;

    private readonly Module _model;
    private readonly int _maxRows;
    private readonly int[] _inputShape;
    private readonly bool _outputsAreLogits;

    /// <summary>
    /// Serves <paramref name="model"/>. A row holds the values of one input of the shape its file's description gives
    /// (e.g. 1×28×28 for a CNN), or, without one, as many values as the model's first Dense layer takes.
    /// </summary>
    /// <exception cref="ArgumentException">Neither the description nor a Dense layer gives the input's shape.</exception>
    public Predictor(Module model, ModelDescription? description, int maxRows)
    {
        _model = model;
        _maxRows = maxRows;
        _outputsAreLogits = description?.OutputsAreLogits ?? true;
        _inputShape = description?.InputShape is { Count: > 0 } shape
            ? [.. shape]
            : [FirstDense(model)?.Inputs ?? throw new ArgumentException($"the model {model} has no input shape in its file and no Dense layer to read it from; this server takes rows of numbers.")];
        InputWidth = _inputShape.Aggregate(1, (product, size) => product * size);
        using (InferenceMode.Enter()) Outputs = model.Forward(Tensor.Zeros(model.DType, [1, .. _inputShape])).Shape[^1];
    }

    /// <summary>Values per row: the product of the input's shape.</summary>
    public int InputWidth { get; }

    /// <summary>Classes (outputs per row).</summary>
    public int Outputs { get; }

    /// <summary>The predictions, or a one-line reason the request is invalid and the status to answer with (413 too many rows, else 400).</summary>
    public (PredictResponse? Response, string? Problem, int Status) Predict(PredictRequest request)
    {
        var rows = request.Rows!;
        if (rows.Length == 0) return (null, "rows is empty: send at least one row", 400);
        if (rows.Length > _maxRows) return (null, $"too many rows: {rows.Length}, at most {_maxRows} per request", 413);
        var values = new float[rows.Length * InputWidth];
        for (int i = 0; i < rows.Length; i++)
        {
            if (rows[i] is null || rows[i].Length != InputWidth)
                return (null, string.Create(CultureInfo.InvariantCulture, $"row {i} has {rows[i]?.Length ?? 0} values, the model takes {InputWidth}"), 400);
            rows[i].CopyTo(values, i * InputWidth);
        }

        var probabilities = Probabilities(_model, Tensor.FromArray(values, [rows.Length, .. _inputShape]), _outputsAreLogits);
        var predictions = new Prediction[rows.Length];
        for (int i = 0; i < rows.Length; i++)
        {
            var row = probabilities.AsSpan(i * Outputs, Outputs).ToArray();
            int best = 0;
            for (int c = 1; c < row.Length; c++) if (row[c] > row[best]) best = c;
            predictions[i] = new Prediction(best, row);
        }
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

    private static Dense? FirstDense(Module module) => module is Dense dense
        ? dense
        : module.NamedChildren().Select(child => FirstDense(child.Module)).FirstOrDefault(found => found is not null);
}
