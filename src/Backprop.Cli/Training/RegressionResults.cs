using Backprop.Cli.Data;
using Backprop.Data;
using Backprop.Losses;
using Backprop.NN;
using Backprop.Training;

namespace Backprop.Cli.Training;

/// <summary>A regression model's errors in the target's units (the network learns the standardised target), and predicted-against-actual points for a plot.</summary>
/// <param name="Points">Up to <see cref="MaxPoints"/> (actual, predicted) pairs from the validation rows (the training rows when there are none).</param>
internal sealed record RegressionResults(RegressionMetrics Train, RegressionMetrics? Validation, IReadOnlyList<(double Actual, double Predicted)> Points)
{
    public const int MaxPoints = 5000;

    /// <summary>Measures the training and validation rows, one pass each, gathering the plot's points on the pass over the validation rows (the training rows when there are none).</summary>
    public static RegressionResults Measure(Module model, TrainingData data, TablePreprocessor table)
    {
        var points = new PredictedPoints(table, MaxPoints);
        var train = RegressionMetrics.Of(model, data.Train, table, data.Validation is null ? points.Add : null);
        var validation = data.Validation is { } rows ? RegressionMetrics.Of(model, rows, table, points.Add) : null;
        return new RegressionResults(train, validation, points.Points);
    }
}

/// <summary>Mean squared and absolute error and R², in the target's units.</summary>
internal sealed record RegressionMetrics(double Mse, double Mae, double? R2, int Examples)
{
    /// <summary>
    /// Evaluates on standardised targets and scales back: an error of e standard deviations is e·σ in the target's units.
    /// <paramref name="onBatch"/> sees each batch on the way (<see cref="PredictedPoints.Add"/>), in the same pass.
    /// </summary>
    public static RegressionMetrics Of(Module model, IDataSource source, TablePreprocessor table, Action<EvaluatedBatch>? onBatch = null)
    {
        var evaluation = model.Evaluate(source, new MseLoss(), onBatch);
        double std = table.TargetStandardDeviation;
        return new RegressionMetrics(evaluation.MeanSquaredError!.Value * std * std, evaluation.MeanAbsoluteError!.Value * std, evaluation.RSquared, evaluation.Count);
    }
}
