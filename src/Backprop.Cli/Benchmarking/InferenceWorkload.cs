using System.Diagnostics;
using Backprop.NN;
using Backprop.Training;

namespace Backprop.Cli.Benchmarking;

/// <summary>
/// What infer_latency and infer_batch share: the ONNX Runtime reference's two ReLU MLPs (784-128-10 and
/// 784-512-256-10) and inputs (shared/onnxruntime-reference), on one thread and on <see cref="Threads.Count"/>. Each
/// call is <c>Predict</c> into an output tensor allocated once, as the reference's IOBinding and pre-allocated runs write
/// into bound buffers.
/// </summary>
internal abstract class InferenceWorkload(string name, int[] batches, int timedCalls, TimeSpan minimumTime) : Workload(name)
{
    private static readonly int[][] Models = [[784, 128, 10], [784, 512, 256, 10]];

    public override IEnumerable<BenchResult> Run(WorkloadContext context)
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
                    Rng.ManualSeed(context.Seed);
                    var model = ReluMlp.Build(sizes);
                    foreach (int batch in batches) yield return Time(model, sizes, batch);
                }
            }
        }
        finally
        {
            Threads.Count = all;
        }
    }

    private BenchResult Time(Module model, int[] sizes, int batch)
    {
        var x = ReferenceInputs(batch, sizes[0]);
        var y = Tensor.Zeros(batch, sizes[^1]);
        void Call() => model.Predict(x, y, batchSize: batch);
        WarmUp(Call);

        var times = new List<double>(timedCalls);
        void TimedCall()
        {
            long start = Stopwatch.GetTimestamp();
            Call();
            times.Add(Stopwatch.GetElapsedTime(start).TotalMicroseconds);
        }

        var clock = Stopwatch.StartNew();
        long allocated = GC.GetAllocatedBytesForCurrentThread();
        while (times.Count < timedCalls) TimedCall();
        // Counted over the first calls only: past its capacity the list of times grows, and that is not the calls' allocation.
        double allocatedPerCall = (GC.GetAllocatedBytesForCurrentThread() - allocated) / (double)timedCalls;
        while (clock.Elapsed < minimumTime) TimedCall();
        times.Sort();
        double median = times[times.Count / 2];
        return new BenchResult(Name)
        {
            Model = string.Join("-", sizes),
            Batch = batch,
            MedianUs = Math.Round(median, 3),
            P10Us = Math.Round(times[times.Count / 10], 3),
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
