using System.Diagnostics;
using Backprop.NN;
using Backprop.Training;

namespace Backprop.Cli.Benchmarking;

/// <summary>
/// The ONNX Runtime reference's workloads (shared/onnxruntime-reference): the two ReLU MLPs, 784-128-10 and
/// 784-512-256-10, on one sample (<c>infer_latency</c>) and on batches of 64 and 1000 (<c>infer_batch</c>), on one thread
/// and on <see cref="Threads.Count"/>. Each call is <c>Predict</c> into an output tensor allocated once, as the
/// reference's IOBinding and pre-allocated runs write into bound buffers; the inputs are the reference's.
/// </summary>
internal static class InferenceWorkloads
{
    private const int LatencyCalls = 10_000;

    private static readonly int[][] Models = [[784, 128, 10], [784, 512, 256, 10]];

    private static readonly TimeSpan BatchTime = TimeSpan.FromSeconds(1);

    /// <summary>One sample per call: median of 10,000 timed calls after the reference's 1,000 warm-ups.</summary>
    public static IEnumerable<BenchResult> Latency(int seed) => Each(seed, [1], (model, sizes, batch) => Time("infer_latency", model, sizes, batch, timedCalls: LatencyCalls, minimum: TimeSpan.Zero));

    /// <summary>Batches of 64 and 1000: every call timed for at least a second, as the reference times its batches.</summary>
    public static IEnumerable<BenchResult> Batch(int seed) => Each(seed, [64, 1000], (model, sizes, batch) => Time("infer_batch", model, sizes, batch, timedCalls: 10, minimum: BatchTime));

    private static IEnumerable<BenchResult> Each(int seed, int[] batches, Func<Module, int[], int, BenchResult> measure)
    {
        int all = Threads.Count;
        int[] threadCounts = all == 1 ? [1] : [1, all];
        try
        {
            foreach (int threads in threadCounts)
            {
                Threads.Count = threads;
                foreach (var sizes in Models)
                {
                    Rng.ManualSeed(seed);
                    var model = ReluMlp.Build(sizes);
                    foreach (int batch in batches) yield return measure(model, sizes, batch);
                }
            }
        }
        finally
        {
            Threads.Count = all;
        }
    }

    private static BenchResult Time(string name, Module model, int[] sizes, int batch, int timedCalls, TimeSpan minimum)
    {
        var x = ReferenceInputs(batch, sizes[0]);
        var y = Tensor.Zeros(batch, sizes[^1]);
        void Call() => model.Predict(x, y, batchSize: batch);
        var warming = Stopwatch.StartNew();
        for (int i = 0; i < 1_000 || warming.Elapsed < TimeSpan.FromSeconds(0.5); i++) Call();
        CompilerQuiet.WarmUntilQuiet(Call);

        var times = new List<double>(timedCalls);
        long allocated = GC.GetAllocatedBytesForCurrentThread();
        var clock = Stopwatch.StartNew();
        while (times.Count < timedCalls || clock.Elapsed < minimum)
        {
            long start = Stopwatch.GetTimestamp();
            Call();
            times.Add(Stopwatch.GetElapsedTime(start).TotalMicroseconds);
        }
        double allocatedPerCall = (GC.GetAllocatedBytesForCurrentThread() - allocated) / (double)times.Count;
        times.Sort();
        double median = times[times.Count / 2];
        return new BenchResult(name)
        {
            Model = string.Join("-", sizes),
            Batch = batch,
            MedianUs = Math.Round(median, 3),
            P90Us = Math.Round(times[times.Count * 9 / 10], 3),
            SamplesPerS = Math.Round(batch / median * 1e6, 1),
            AllocBytesPerCall = Math.Round(allocatedPerCall, 1),
            Threads = Threads.Count,
        };
    }

    /// <summary>The reference's inputs (make_models.py): x[i, j] = ((i·784 + j)·7919 mod 1013) / 1013.</summary>
    private static Tensor ReferenceInputs(int rows, int width)
    {
        var values = new float[rows * width];
        for (long i = 0; i < values.Length; i++) values[i] = (float)((i * 7919 % 1013) / 1013.0);
        return Tensor.FromArray(values, rows, width);
    }
}
