using Backprop.Cli.Data;
using Backprop.Cli.Models;
using Backprop.Cli.Plotting;
using Backprop.Diagnostics;
using Backprop.Losses;
using Backprop.Optimizers;

namespace Backprop.Cli.Training;

/// <summary>
/// One run of <c>backprop train</c>: reads the data, builds the network from a seed, fits it with the chosen
/// optimiser (by default its learning rate annealed along a cosine over the epochs), reports as it goes and writes the model
/// and the plot.
/// </summary>
internal static class TrainingSession
{
    public static void Run(TrainSettings settings, TrainingReporter reporter)
    {
        var data = DataSource.ForTraining(settings.Data, settings.Label, settings.ValidationSplit, settings.Seed);
        var info = data.Info with { Loss = settings.Loss };
        var architecture = new Mlp(data.Train.Inputs.Shape[1], settings.Hidden, settings.Activation, info.ClassNames.Count, data.Standardizer is not null);
        Rng.ManualSeed(settings.Seed);
        var model = architecture.Create(data.Standardizer?.Mean, data.Standardizer?.StandardDeviation);

        double learningRate = settings.LearningRate ?? OptimizerChoice.DefaultLearningRate(settings.Optimizer);
        var optimizer = OptimizerChoice.Create(settings.Optimizer, model.Parameters(), learningRate);
        // Large steps early and small ones late: a short run ends with its weights settled rather than still jumping.
        var schedule = settings.CosineSchedule ? new CosineAnnealingLR(optimizer, settings.Epochs) : null;
        var monitor = settings.Diagnose ? new GradientFlowMonitor(model) : null;
        reporter.Start(settings, data, model);

        var history = reporter.Fit(onBatchEnd => model.Fit(data.Train, new FitOptions
        {
            Epochs = settings.Epochs,
            BatchSize = settings.BatchSize,
            Loss = settings.Loss == "mse" ? new MseLoss() : new CrossEntropyLoss(),
            Optimizer = optimizer,
            Validation = data.Validation,
            StopWhen = StopCriteria(settings),
            Seed = settings.Seed,
            OnEpochStart = epoch => { if (epoch > 1) schedule?.Step(); },
            OnStep = monitor is null ? null : monitor.RecordStep,
            OnBatchEnd = onBatchEnd,
            OnEpochEnd = epoch => reporter.Epoch(epoch, monitor?.EndEpoch(epoch.Epoch)),
        }));

        ModelStore.Save(model, settings.ModelPath, info);
        if (settings.PlotPath is { } plot) TrainingPlot.Save(history, plot, lossName: settings.Loss);
        reporter.Finish(history);
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
