using System.Globalization;
using Backprop.Cli.Data;
using Backprop.Cli.Output;
using Backprop.Cli.Training;
using Backprop.Diagnostics;
using Backprop.NN;
using Backprop.Training;
using Spectre.Console;

namespace Backprop.Cli.Rendering;

/// <summary>
/// Training for people: a live progress bar (epoch, loss, accuracy, samples/s, ETA) on an interactive terminal, one
/// plain line per epoch otherwise (logs, pipes, <c>--diagnose</c>), then the summary table.
/// </summary>
internal sealed class ConsoleTrainingReporter(IAnsiConsole console) : TrainingReporter
{
    private TrainSettings? _settings;
    private bool _live;

    public override void Start(TrainSettings settings, TrainingData data, Module model)
    {
        _settings = settings;
        // Tables printed during a live display would tear it, so a diagnosis prints line by line.
        _live = console.Profile.Capabilities.Interactive && !settings.Diagnose;
        if (data.Table is { } table)
        {
            console.WriteLine($"Task: {table.TaskReason}");
            foreach (string note in table.Notes) console.WriteLine($"Note: {note}");
        }
        console.MarkupLineInterpolated(CultureInfo.InvariantCulture,
            $"Training [bold]{model}[/] on {data.Source}: {data.Train.Count} examples, validating on {data.Validation?.Count ?? 0}");
    }

    public override History Fit(Func<Action<BatchResult>?, History> fit)
    {
        if (!_live) return fit(null);
        History? history = null;
        console.Progress()
            .AutoClear(true)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
            .Start(context =>
            {
                var task = context.AddTask("starting", maxValue: _settings!.Epochs);
                history = fit(batch =>
                {
                    // A streamed source's size is unknown in its first epoch: the bar then moves epoch by epoch.
                    task.Value = batch.Epoch - 1 + (batch.BatchCount is int batches ? (double)batch.Batch / batches : 0);
                    task.Description = Invariant($"epoch {batch.Epoch}/{_settings.Epochs}  loss {batch.RunningLoss:F4}  accuracy {batch.RunningAccuracy:F4}  {batch.SamplesPerSecond:N0} samples/s");
                });
            });
        return history!;
    }

    public override void Epoch(EpochResult epoch, GradientFlowReport? diagnosis)
    {
        if (_live) return;
        console.WriteLine(epoch.Accuracy is null
            ? Invariant($"epoch {epoch.Epoch}/{_settings!.Epochs}  loss {epoch.Loss:F4}  validation loss {epoch.ValidationLoss:F4}  {epoch.SamplesPerSecond:N0} samples/s  {epoch.Duration.TotalSeconds:F1} s")
            : Invariant($"epoch {epoch.Epoch}/{_settings!.Epochs}  loss {epoch.Loss:F4}  accuracy {epoch.Accuracy:F4}  validation loss {epoch.ValidationLoss:F4}  validation accuracy {epoch.ValidationAccuracy:F4}  {epoch.SamplesPerSecond:N0} samples/s  {epoch.Duration.TotalSeconds:F1} s"));
        if (diagnosis is not null) WriteDiagnosis(diagnosis);
    }

    public override void Finish(History history, RegressionResults? regression)
    {
        var table = new Table().Title("Training").AddColumns("Epoch", "Loss", "Accuracy", "Validation loss", "Validation accuracy", "Samples/s", "Time (s)");
        foreach (var column in table.Columns.Skip(1)) column.RightAligned();
        foreach (var epoch in history.Epochs)
            table.AddRow(Invariant($"{epoch.Epoch}"), Invariant($"{epoch.Loss:F4}"), Invariant($"{epoch.Accuracy:F4}"), Invariant($"{epoch.ValidationLoss:F4}"),
                Invariant($"{epoch.ValidationAccuracy:F4}"), Invariant($"{epoch.SamplesPerSecond:N0}"), Invariant($"{epoch.Duration.TotalSeconds:F1}"));
        console.Write(table);
        console.WriteLine(Invariant($"Stopped: {history.StopReason}{(history.RestoredEpoch is int best ? $" (weights of epoch {best} restored)" : "")}"));
        if (regression is not null)
        {
            console.WriteLine(Invariant($"Train: MSE {regression.Train.Mse:G6}  MAE {regression.Train.Mae:G6}  R² {regression.Train.R2:F4}"));
            if (regression.Validation is { } validation)
                console.WriteLine(Invariant($"Validation: MSE {validation.Mse:G6}  MAE {validation.Mae:G6}  R² {validation.R2:F4}"));
        }
        console.WriteLine(Invariant($"Total time: {history.Duration.TotalSeconds:F1} s"));
        // A diverged run writes no file (exit 3).
        if (history.Diverged) return;
        console.WriteLine($"Model: {_settings!.ModelPath}");
        if (_settings.PlotPath is { } plot) console.WriteLine($"Plot: {plot}");
    }

    private void WriteDiagnosis(GradientFlowReport diagnosis)
    {
        var table = new Table().AddColumns("Layer", "‖w‖", "mean ‖∂L/∂w‖", "mean ‖Δw‖/‖w‖", "max ‖Δw‖/‖w‖");
        foreach (var column in table.Columns.Skip(1)) column.RightAligned();
        foreach (var layer in diagnosis.Layers)
            table.AddRow(Markup.Escape(layer.Layer), Invariant($"{layer.WeightNorm:G4}"), Invariant($"{layer.GradientNorm:G4}"),
                Invariant($"{layer.RelativeUpdate:E2}"), Invariant($"{layer.MaxRelativeUpdate:E2}"));
        console.Write(table);
        foreach (var warning in diagnosis.Warnings) console.WriteLine($"warning: {warning}");
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
