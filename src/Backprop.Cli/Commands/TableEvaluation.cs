using System.Globalization;
using Backprop.Cli.Data;
using Backprop.Cli.Models;
using Backprop.Cli.Output;
using Backprop.Cli.Plotting;
using Backprop.Cli.Rendering;
using Backprop.Cli.Training;
using Backprop.Data;
using Backprop.NN;
using Backprop.Training;

namespace Backprop.Cli.Commands;

/// <summary><c>evaluate</c> for a model trained on a table: the rows streamed through its preprocessing; a regression model's errors in the target's units.</summary>
internal static class TableEvaluation
{
    public static int Run(Module network, ModelInfo info, TablePreprocessor table, string? dataPath, char? delimiter, string? plotPath, bool json,
        TextWriter output, TextWriter error, string modelPath)
    {
        if (!info.IsRegression && plotPath is { Length: > 0 }) ConfusionPlot.RequireDrawable(info.ClassNames.Count);
        var source = TableSource.Open(DataSource.RequireCsv(dataPath, info), table, labelled: true, delimiter);
        if (!info.IsRegression)
        {
            var evaluation = network.Evaluate(source, LossChoice.Create(info.Loss));
            Warn(error, source);
            if (plotPath is { Length: > 0 }) ConfusionPlot.Save(evaluation.Confusion!, info.ClassNames, plotPath);
            if (json) JsonOutput.Write(output, EvaluationReport.Json(evaluation, info));
            else EvaluationReport.Render(Terminal.For(output), evaluation, info, modelPath);
            return ExitCode.Ok;
        }
        var points = plotPath is { Length: > 0 } ? new PredictedPoints(table, RegressionResults.MaxPoints) : null;
        var metrics = RegressionMetrics.Of(network, source, table, points is null ? null : points.Add);
        Warn(error, source);
        if (points is not null) PredictedPlot.Save(points.Points, plotPath!);
        if (json)
        {
            JsonOutput.Write(output, new
            {
                examples = metrics.Examples,
                task = "regression",
                loss = metrics.Mse,
                mse = metrics.Mse,
                mae = metrics.Mae,
                r2 = metrics.R2,
                dropped_rows = source.DroppedRows,
                other_values = source.OtherValues,
            });
            return ExitCode.Ok;
        }
        output.WriteLine($"Model {modelPath} on {metrics.Examples} examples (regression of '{table.LabelColumn}', errors in its units)");
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"MSE: {metrics.Mse:G6}"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"MAE: {metrics.Mae:G6}"));
        output.WriteLine(metrics.R2 is double r2 ? string.Create(CultureInfo.InvariantCulture, $"R²: {r2:F4}") : "R²: undefined (every actual value is the same)");
        return ExitCode.Ok;
    }

    /// <summary>Rows without a label, and categories the model never saw, are not errors; the user hears of them on stderr.</summary>
    public static void Warn(TextWriter error, TableSource source)
    {
        if (source.DroppedRows > 0) error.WriteLine($"warning: {source.DroppedRows} rows with a missing label were skipped");
        if (source.OtherValues > 0) error.WriteLine($"warning: {source.OtherValues} values were not among their column's categories and were read as 'other'");
    }
}
