using System.Diagnostics;

namespace Backprop.Cli.Benchmarking;

/// <summary>infer_latency: one 784-vector through mlp_train's trained 784-128-10 MLP in evaluation mode, median of 10,000 timed calls.</summary>
internal sealed class InferenceLatency() : Workload("infer_latency")
{
    public override IEnumerable<BenchResult> Run(WorkloadContext context)
    {
        const int Calls = 10_000;
        var model = context.TrainedMlp ?? throw new InvalidOperationException("infer_latency needs mlp_train to run first.");
        model.Eval();
        var times = new double[Calls];
        using (Tensor.NoGrad())
        {
            var x = context.Test.Inputs.Narrow(0, 0, 1);
            WarmUp(() => model.Forward(x));
            for (int i = 0; i < Calls; i++)
            {
                long start = Stopwatch.GetTimestamp();
                model.Forward(x);
                times[i] = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
            }
        }
        Array.Sort(times);
        return
        [
            new BenchResult(Name)
            {
                MedianUs = Math.Round(times[Calls / 2], 3),
                P90Us = Math.Round(times[Calls * 9 / 10], 3),
                Threads = Backprop.Threads.Count,
            },
        ];
    }
}
