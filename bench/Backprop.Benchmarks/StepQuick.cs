using System.Diagnostics;
using Backprop.Cli.Benchmarking;
using Backprop.Data;
using Backprop.Losses;
using Backprop.NN;
using Backprop.Optimizers;
using Backprop.Training;

namespace Backprop.Benchmarks;

/// <summary>
/// A Stopwatch harness for the training step on shared, noisy machines: the time of every Fit step of the
/// 784-128-10 and 784-512-256-10 MLPs on MNIST 10k, reported as the 10th percentile and median (the low
/// percentile is what the code costs; the median adds the neighbours' load), for 1 and 2 threads.
/// </summary>
internal static class StepQuick
{
    public static void Run(string dataFolder)
    {
        var data = MnistFolder.Load(dataFolder);
        var train = data.Train.ToDataset();
        int original = Threads.Count;
        Console.WriteLine($"{"model",-18} {"threads",7} {"p10 µs",9} {"median µs",10} {"samples/s at p10",17} {"alloc B/step",13}");
        foreach (int threads in new[] { 1, 2 })
        {
            Threads.Count = threads;
            Measure("784-128-10 b64", train, [784, 128, 10], 64, threads);
            Measure("784-512-256-10 b128", train, [784, 512, 256, 10], 128, threads);
        }

        Threads.Count = original;
    }

    private static void Measure(string name, Dataset train, int[] sizes, int batch, int threads)
    {
        Rng.ManualSeed(1);
        var model = ReluMlp.Build(sizes);
        var times = new List<double>();
        long last = 0, allocatedAtStart = 0, allocatedInLast = 0;
        const int Epochs = 3;
        model.Fit(train, new FitOptions
        {
            Epochs = Epochs,
            BatchSize = batch,
            Loss = new CrossEntropyLoss(),
            Optimizer = new Sgd(model.Parameters(), 0.1),
            OnEpochStart = epoch =>
            {
                last = Stopwatch.GetTimestamp();
                if (epoch == Epochs) allocatedAtStart = GC.GetTotalAllocatedBytes(precise: true);
            },
            OnBatchEnd = result =>
            {
                long now = Stopwatch.GetTimestamp();
                if (result.Epoch > 1 && result.Batch < result.BatchCount) times.Add(Stopwatch.GetElapsedTime(last, now).TotalMicroseconds);
                last = now;
            },
            OnEpochEnd = result =>
            {
                if (result.Epoch == Epochs) allocatedInLast = GC.GetTotalAllocatedBytes(precise: true) - allocatedAtStart;
            },
        });
        times.Sort();
        double p10 = times[times.Count / 10], median = times[times.Count / 2];
        int steps = (train.Count + batch - 1) / batch;
        Console.WriteLine($"{name,-18} {threads,7} {p10,9:F1} {median,10:F1} {batch / p10 * 1e6,17:N0} {allocatedInLast / steps,13:N0}");
    }
}
