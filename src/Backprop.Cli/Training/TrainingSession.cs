using Backprop.Cli.Data;
using Backprop.Cli.Models;
using Backprop.Cli.Plotting;
using Backprop.Diagnostics;
using Backprop.Losses;
using Backprop.NN;
using Backprop.Training;

namespace Backprop.Cli.Training;

/// <summary>
/// One run of <c>backprop train</c>: reads the data, builds the network from a seed, fits it with the chosen
/// optimiser and schedule (checkpointing or resuming when asked), reports as it goes and writes the model and the plot.
/// </summary>
internal static class TrainingSession
{
    /// <param name="warnings">Where warnings go (image files skipped); null for nowhere.</param>
    public static void Run(TrainSettings settings, TrainingReporter reporter, TextWriter? warnings = null)
    {
        bool cnn = settings.Architecture == "cnn";
        var data = DataSource.ForTraining(settings.Data, settings.Label, settings.ValidationSplit, settings.Seed, images: cnn, settings.Limit, settings.Table,
            settings.Images, warnings ?? TextWriter.Null);
        settings = settings with { Loss = LossChoice.Resolve(settings.Loss, data.Info.IsRegression) };
        if (data.Info.IsRegression && !settings.OptimizerGiven) settings = settings with { Optimizer = TrainSettings.RegressionOptimizer };
        var info = data.Info with { Loss = settings.Loss };
        Rng.ManualSeed(settings.Seed);
        Module model = cnn
            ? Cnn.Build(info.InputShape, settings.Channels, settings.Hidden, info.OutputCount, settings.Layers, data.InputLayer)
            : Mlp.Build(info.InputShape.Aggregate(1, (product, d) => product * d), settings.Hidden, info.OutputCount, settings.Layers, data.Standardizer, data.InputLayer);

        double learningRate = settings.LearningRate ?? OptimizerChoice.DefaultLearningRate(settings.Optimizer) * ImageData.LearningRateFactor(data, settings.Optimizer);
        var optimizer = OptimizerChoice.Create(settings.Optimizer, model.Parameters(), learningRate, settings.WeightDecay);
        var schedule = new ScheduleChoice(settings.Schedule, optimizer, settings.Epochs);
        var monitor = settings.Diagnose ? new GradientFlowMonitor(model) : null;
        reporter.Start(settings, data, model);

        var history = reporter.Fit(onBatchEnd => model.Fit(data.Train, new FitOptions
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
            ResumeFrom = settings.ResumeFrom,
            OnEpochStart = schedule.BeforeEpoch,
            OnStep = monitor is null ? null : monitor.RecordStep,
            OnBatchEnd = onBatchEnd,
            OnEpochEnd = epoch =>
            {
                reporter.Epoch(epoch, monitor?.EndEpoch(epoch.Epoch));
                schedule.AfterEpoch(epoch);
            },
        }));

        ModelStore.Save(model, settings.ModelPath, info);
        var regression = info.Preprocessor is { Task: IO.ModelTask.Regression } table ? RegressionResults.Measure(model, data, table) : null;
        if (settings.PlotPath is { } plot) TrainingPlot.Save(history, plot, settings.Loss, regression?.Points);
        reporter.Finish(history, regression);
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
