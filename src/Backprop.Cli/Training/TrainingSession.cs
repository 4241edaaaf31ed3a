using Backprop.Cli.Data;
using Backprop.Cli.Files;
using Backprop.Cli.Models;
using Backprop.Cli.Plotting;
using Backprop.Diagnostics;
using Backprop.Losses;
using Backprop.NN;
using Backprop.Training;

namespace Backprop.Cli.Training;

/// <summary>
/// One run of <c>backprop train</c>: checks its files, reads the data, builds the network from a seed (once its memory
/// is known to fit), fits it with the chosen optimiser and schedule (checkpointing or resuming when asked), reports as
/// it goes and writes the model and the plot — unless the loss stopped being a number (exit 3, nothing written) or the
/// run was interrupted (the last completed epoch's model written, exit 130).
/// </summary>
internal static class TrainingSession
{
    /// <summary>Runs the training <paramref name="settings"/> describe; returns the exit code.</summary>
    /// <param name="settings">What to train.</param>
    /// <param name="reporter">How to show it.</param>
    /// <param name="error">Where warnings and the reasons for codes 3 and 130 go.</param>
    /// <param name="stopGracefully">
    /// Called when training starts, from which moment the first Ctrl+C or SIGTERM cancels the token it returns; until
    /// then (reading the data, building the network) an interrupt ends the process at once, as nothing is written yet.
    /// </param>
    public static int Run(TrainSettings settings, TrainingReporter reporter, TextWriter error, Func<CancellationToken> stopGracefully)
    {
        TrainFiles.Check(settings);
        bool cnn = settings.Architecture == "cnn";
        var data = DataSource.ForTraining(settings.Data, settings.ValidationSplit, settings.Seed, images: cnn, settings.Limit, settings.Table,
            settings.Images, error);
        settings = settings with { Loss = LossChoice.Resolve(settings.Loss, data.Info.IsRegression) };
        if (data.Info.IsRegression && !settings.OptimizerGiven) settings = settings with { Optimizer = TrainSettings.RegressionOptimizer };
        var info = data.Info with { Loss = settings.Loss };
        TrainingMemory.Check(settings, info.InputShape, info.OutputCount, data.Train.Count ?? int.MaxValue);
        Rng.ManualSeed(settings.Seed);
        Module model = cnn
            ? Cnn.Build(info.InputShape, settings.Channels, settings.Hidden, info.OutputCount, settings.Layers, data.InputLayer)
            : Mlp.Build(info.InputShape.Aggregate(1, (product, d) => product * d), settings.Hidden, info.OutputCount, settings.Layers, data.InputLayer);

        double learningRate = settings.LearningRate ?? OptimizerChoice.DefaultLearningRate(settings.Optimizer) * ImageData.LearningRateFactor(data, settings.Architecture, settings.Optimizer);
        var optimizer = OptimizerChoice.Create(settings.Optimizer, model.Parameters(), learningRate, settings.WeightDecay);
        var schedule = new ScheduleChoice(settings.Schedule, optimizer, settings.Epochs);
        var monitor = settings.Diagnose ? new GradientFlowMonitor(model) : null;
        // The chance loss needs the labels' shares: known for data in memory; a streamed table goes without that rule.
        var trend = new LossTrend(settings.Loss == "cross-entropy" && data.Train is Backprop.Data.Dataset { Labels.Length: > 0 } inMemory ? LossTrend.ChanceLoss(inMemory.Labels!) : null);
        reporter.Start(settings, data, model);
        var interrupt = stopGracefully();

        History history;
        try
        {
            history = reporter.Fit(onBatchEnd => model.Fit(data.Train, new FitOptions
            {
                Epochs = settings.Epochs,
                BatchSize = settings.BatchSize,
                Loss = LossChoice.Create(settings.Loss),
                Optimizer = optimizer,
                Validation = data.Validation,
                StopWhen = StopCriteria(settings),
                Seed = settings.Seed,
                ClipGradNorm = settings.ClipNorm,
                CheckpointDirectory = settings.CheckpointDirectory,
                CheckpointDescription = info.ToDescription(),
                ResumeFrom = settings.ResumeFrom,
                OnEpochStart = schedule.BeforeEpoch,
                OnStep = monitor is null ? null : monitor.RecordStep,
                OnBatchEnd = onBatchEnd,
                OnEpochEnd = epoch =>
                {
                    reporter.Epoch(epoch, monitor?.EndEpoch(epoch.Epoch));
                    schedule.AfterEpoch(epoch);
                    if (trend.Observe(epoch) is { } warning && !settings.Quiet) error.WriteLine(warning);
                },
            }, interrupt));
        }
        catch (TrainingCanceledException canceled)
        {
            return Interrupted(settings, reporter, error, model, info, canceled);
        }

        if (history.Diverged)
        {
            reporter.Finish(history, null);
            error.WriteLine($"error: training stopped: {history.StopReason}. {settings.ModelPath} was not written; try a lower --lr, or --clip-norm 1.");
            return ExitCode.NonFiniteLoss;
        }
        ModelStore.Save(model, settings.ModelPath, info);
        var regression = info.Preprocessor is { Task: IO.ModelTask.Regression } table ? RegressionResults.Measure(model, data, table) : null;
        if (settings.PlotPath is { } plot) TrainingPlot.Save(history, plot, settings.Loss, regression?.Points);
        reporter.Finish(history, regression);
        return ExitCode.Ok;
    }

    /// <summary>Saves the model of the last completed (or best) epoch, when there is one, and says what happened.</summary>
    private static int Interrupted(TrainSettings settings, TrainingReporter reporter, TextWriter error, Module model, Models.ModelInfo info, TrainingCanceledException canceled)
    {
        if (canceled.WeightsEpoch is not int epoch)
        {
            error.WriteLine($"Interrupted before the first epoch completed: {settings.ModelPath} was not written.");
            return ExitCode.Interrupted;
        }
        ModelStore.Save(model, settings.ModelPath, info);
        if (settings.PlotPath is { } plot && canceled.History.Epochs.Count > 0) TrainingPlot.Save(canceled.History, plot, settings.Loss);
        reporter.Finish(canceled.History, null);
        error.WriteLine($"Interrupted: wrote {settings.ModelPath} with the weights of epoch {epoch}.");
        return ExitCode.Interrupted;
    }

    private static Stop? StopCriteria(TrainSettings settings)
    {
        var criteria = new List<Stop>();
        if (settings.StopWhenAllCorrect) criteria.Add(Stop.AllCorrect);
        if (settings.TargetLoss is double target) criteria.Add(Stop.LossBelow(target));
        if (settings.Patience is int patience) criteria.Add(Stop.NoImprovement(patience));
        return criteria.Count == 0 ? null : criteria.Aggregate((left, right) => left | right);
    }
}
