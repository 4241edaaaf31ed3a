using System.Globalization;
using Backprop;
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

    /// <summary>Serves <paramref name="model"/>, whose first Dense layer gives the width of a row.</summary>
    /// <exception cref="ArgumentException">The model has no Dense layer to read its input width from.</exception>
    public Predictor(Module model, int maxRows)
    {
        _model = model;
        _maxRows = maxRows;
        var first = FirstDense(model) ?? throw new ArgumentException($"the model {model} has no Dense layer, so its rows' width is unknown; this server takes rows of numbers.");
        InputWidth = first.Inputs;
        using (InferenceMode.Enter()) Outputs = model.Forward(Tensor.Zeros(model.DType, 1, InputWidth)).Shape[^1];
    }

    /// <summary>Values per row.</summary>
    public int InputWidth { get; }

    /// <summary>Classes (outputs per row).</summary>
    public int Outputs { get; }

    /// <summary>The predictions, or a one-line reason the request is invalid (one starting "too many rows" is a 413).</summary>
    public (PredictResponse? Response, string? Problem) Predict(PredictRequest request)
    {
        var rows = request.Rows!;
        if (rows.Length == 0) return (null, "rows is empty: send at least one row");
        if (rows.Length > _maxRows) return (null, $"too many rows: {rows.Length}, at most {_maxRows} per request");
        var values = new float[rows.Length * InputWidth];
        for (int i = 0; i < rows.Length; i++)
        {
            if (rows[i] is null || rows[i].Length != InputWidth)
                return (null, string.Create(CultureInfo.InvariantCulture, $"row {i} has {rows[i]?.Length ?? 0} values, the model takes {InputWidth}"));
            rows[i].CopyTo(values, i * InputWidth);
        }

        var probabilities = Probabilities(_model, Tensor.FromArray(values, rows.Length, InputWidth));
        var predictions = new Prediction[rows.Length];
        for (int i = 0; i < rows.Length; i++)
        {
            var row = probabilities.AsSpan(i * Outputs, Outputs).ToArray();
            int best = 0;
            for (int c = 1; c < row.Length; c++) if (row[c] > row[best]) best = c;
            predictions[i] = new Prediction(best, row);
        }
        return (new PredictResponse(predictions), null);
    }

    /// <summary>The softmax of the model's outputs for <paramref name="inputs"/>, row by row, as <c>backprop predict</c> prints them.</summary>
    public static float[] Probabilities(Module model, Tensor inputs)
    {
        var outputs = model.Predict(inputs);
        using (InferenceMode.Enter()) return outputs.Softmax().ToFloatArray();
    }

    private static Dense? FirstDense(Module module) => module is Dense dense
        ? dense
        : module.NamedChildren().Select(child => FirstDense(child.Module)).FirstOrDefault(found => found is not null);
}
