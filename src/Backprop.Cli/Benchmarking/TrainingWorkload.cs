using System.Diagnostics;
using Backprop.Data;
using Backprop.Losses;
using Backprop.NN;
using Backprop.Optimizers;
using Backprop.Training;

namespace Backprop.Cli.Benchmarking;

/// <summary>
/// A workload that trains a network with <see cref="ModuleTraining.Fit"/> and times the wall time of whole epochs, the
/// first included, as the reference does; it also reports test accuracy, peak memory and bytes allocated per step.
/// </summary>
internal abstract class TrainingWorkload(string name) : Workload(name)
{
    public override bool TimesFirstEpoch => true;

    /// <summary>Trains <paramref name="model"/> with cross-entropy and the workload's settings, and measures the run.</summary>
    protected BenchResult Train(Module model, Dataset train, Dataset test, int batch, int epochs, Optimizer optimizer, int seed)
    {
        long allocatedAtLastEpoch = 0, allocatedInLastEpoch = 0;
        var clock = Stopwatch.StartNew();
        var history = model.Fit(train, new FitOptions
        {
            Epochs = epochs,
            BatchSize = batch,
            Loss = new CrossEntropyLoss(),
            Optimizer = optimizer,
            Seed = seed,
            OnEpochStart = epoch => { if (epoch == epochs) allocatedAtLastEpoch = GC.GetTotalAllocatedBytes(precise: true); },
            OnEpochEnd = result => { if (result.Epoch == epochs) allocatedInLastEpoch = GC.GetTotalAllocatedBytes(precise: true) - allocatedAtLastEpoch; },
        });
        double seconds = clock.Elapsed.TotalSeconds;
        int steps = (train.Count + batch - 1) / batch;
        return new BenchResult(Name)
        {
            SamplesPerS = Math.Round(train.Count * (double)epochs / seconds, 1),
            SecPerEpoch = [.. history.Epochs.Select(e => Math.Round(e.Duration.TotalSeconds, 4))],
            FinalTrainLoss = Math.Round(history.Epochs[^1].Loss, 5),
            TestAccuracy = Math.Round(model.Evaluate(test).Accuracy ?? double.NaN, 4),
            AllocBytesPerStep = Math.Round((double)allocatedInLastEpoch / steps),
            PeakRssMb = PeakRssMb(),
            Threads = Backprop.Threads.Count,
        };
    }

    private static double PeakRssMb()
    {
        using var process = Process.GetCurrentProcess();
        return Math.Round(process.PeakWorkingSet64 / 1048576.0, 1);
    }
}
