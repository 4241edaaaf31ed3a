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

    public static RegressionResults Measure(Module model, TrainingData data, TablePreprocessor table) => new(
        RegressionMetrics.Of(model, data.Train, table),
        data.Validation is { } validation ? RegressionMetrics.Of(model, validation, table) : null,
        Pairs(model, data.Validation ?? data.Train, table, MaxPoints));

    /// <summary>The first <paramref name="most"/> rows' actual and predicted values, in the target's units.</summary>
    public static List<(double Actual, double Predicted)> Pairs(Module model, IDataSource source, TablePreprocessor table, int most)
    {
        var points = new List<(double, double)>();
        foreach (var batch in source.Batches(epoch: 0, batchSize: 256, shuffle: false, seed: 0))
        {
            var predicted = model.Predict(batch.Inputs).ToDoubleArray();
            var actual = batch.Targets!.ToDoubleArray();
            for (int i = 0; i < actual.Length && points.Count < most; i++) points.Add((table.ToTarget(actual[i]), table.ToTarget(predicted[i])));
            if (points.Count >= most) break;
        }
        return points;
    }
}

/// <summary>Mean squared and absolute error and R², in the target's units.</summary>
internal sealed record RegressionMetrics(double Mse, double Mae, double? R2, int Examples)
{
    /// <summary>Evaluates on standardised targets and scales back: an error of e standard deviations is e·σ in the target's units.</summary>
    public static RegressionMetrics Of(Module model, IDataSource source, TablePreprocessor table)
    {
        var evaluation = model.Evaluate(source, new MseLoss());
        double std = table.TargetStandardDeviation;
        return new RegressionMetrics(evaluation.MeanSquaredError!.Value * std * std, evaluation.MeanAbsoluteError!.Value * std, evaluation.RSquared, evaluation.Count);
    }
}
