using Backprop.Cli.Data;
using Backprop.Cli.Output;
using Backprop.Diagnostics;
using Backprop.NN;
using Backprop.Training;

namespace Backprop.Cli.Training;

/// <summary>
/// How a training run shows itself. The base reports nothing (<c>--quiet</c>); <see cref="JsonTrainingReporter"/>
/// and <see cref="Rendering.ConsoleTrainingReporter"/> are the other two faces.
/// </summary>
internal class TrainingReporter
{
    public virtual void Start(TrainSettings settings, TrainingData data, Module model)
    {
    }

    /// <summary>Runs <paramref name="fit"/>, giving it the per-batch callback this reporter wants (null for none).</summary>
    public virtual History Fit(Func<Action<BatchResult>?, History> fit) => fit(null);

    public virtual void Epoch(EpochResult epoch, GradientFlowReport? diagnosis)
    {
    }

    /// <param name="history">The epochs.</param>
    /// <param name="regression">For a regression model, its errors in the target's units; otherwise null.</param>
    public virtual void Finish(History history, RegressionResults? regression)
    {
    }
}

/// <summary><c>--json</c>: one object per epoch on its own line, then a summary object; nothing else on stdout.</summary>
internal sealed class JsonTrainingReporter(TextWriter output) : TrainingReporter
{
    private TrainSettings? _settings;
    private TrainingData? _data;

    public override void Start(TrainSettings settings, TrainingData data, Module model) => (_settings, _data) = (settings, data);

    public override void Epoch(EpochResult epoch, GradientFlowReport? diagnosis) => JsonOutput.WriteLine(output, new
    {
        epoch = epoch.Epoch,
        loss = epoch.Loss,
        accuracy = epoch.Accuracy,
        validation_loss = epoch.ValidationLoss,
        validation_accuracy = epoch.ValidationAccuracy,
        samples_per_s = epoch.SamplesPerSecond,
        learning_rate = epoch.LearningRate,
        gradient_flow = diagnosis?.Layers.Select(layer => new
        {
            layer = layer.Layer,
            weight_norm = layer.WeightNorm,
            gradient_norm = layer.GradientNorm,
            relative_update = layer.RelativeUpdate,
            max_relative_update = layer.MaxRelativeUpdate,
        }),
        warnings = diagnosis?.Warnings,
    });

    public override void Finish(History history, RegressionResults? regression)
    {
        var last = history.Epochs.Count > 0 ? history.Epochs[^1] : null;
        var table = _data?.Table;
        JsonOutput.WriteLine(output, new
        {
            summary = true,
            epochs = history.Epochs.Count,
            stop_reason = history.StopReason,
            restored_epoch = history.RestoredEpoch,
            duration_s = history.Duration.TotalSeconds,
            loss = last?.Loss,
            accuracy = last?.Accuracy,
            validation_loss = last?.ValidationLoss,
            validation_accuracy = last?.ValidationAccuracy,
            diverged = history.Diverged ? true : (bool?)null,
            model = history.Diverged ? null : _settings!.ModelPath,
            plot = history.Diverged ? null : _settings!.PlotPath,
            task = table is null ? null : _data!.Info.IsRegression ? "regression" : "classification",
            task_reason = table?.TaskReason,
            notes = table?.Notes,
            dropped_rows = table?.DroppedRows,
            mse = regression?.Train.Mse,
            mae = regression?.Train.Mae,
            r2 = regression?.Train.R2,
            validation_mse = regression?.Validation?.Mse,
            validation_mae = regression?.Validation?.Mae,
            validation_r2 = regression?.Validation?.R2,
        });
    }
}
