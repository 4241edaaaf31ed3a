using System.Diagnostics;

namespace Backprop.Cli.Benchmarking;

/// <summary>gemm: C = A·B for random N×N float32 matrices, N = 256, 512, 1024 and 2048, in GFLOP/s.</summary>
internal sealed class GemmThroughput() : Workload("gemm")
{
    private static readonly int[] Sizes = [256, 512, 1024, 2048];

    /// <summary>
    /// The sizes' products, after small products through the same calls until the JIT compiler is done with them:
    /// 13 calls per size would otherwise cross its 30-call threshold while some size is timed.
    /// </summary>
    public override IEnumerable<BenchResult> Run(WorkloadContext context)
    {
        var small = Tensor.RandomNormal([128, 128], context.Seed);
        var product = Tensor.Zeros(128, 128);
        using (Tensor.NoGrad()) CompilerQuiet.WarmUntilQuiet(() => small.MatMul(small, product));
        foreach (int n in Sizes) yield return Gemm(n, context.Seed);
    }

    /// <summary>
    /// Median of 10 timed products after warm-ups: at least 3, as the reference, and at least 0.3 s, since the first
    /// products after a size's matrices are allocated often ran at half speed, as if the worker's core were taken. The
    /// product goes into one output tensor, as libtorch's disposed results go back to its allocator and come out again:
    /// a fresh array per call would add first-touch page faults to every product.
    /// </summary>
    private static BenchResult Gemm(int n, int seed)
    {
        var a = Tensor.RandomNormal([n, n], seed);
        var b = Tensor.RandomNormal([n, n], seed + 1);
        var c = Tensor.Zeros(n, n);
        var times = new double[10];
        using (Tensor.NoGrad())
        {
            var warming = Stopwatch.StartNew();
            for (int i = 0; i < 3 || warming.Elapsed < TimeSpan.FromSeconds(0.3); i++) a.MatMul(b, c);
            for (int i = 0; i < times.Length; i++)
            {
                long start = Stopwatch.GetTimestamp();
                a.MatMul(b, c);
                times[i] = Stopwatch.GetElapsedTime(start).TotalSeconds;
            }
        }
        Array.Sort(times);
        double median = (times[4] + times[5]) / 2;
        return new BenchResult("gemm")
        {
            N = n,
            MedianMs = Math.Round(median * 1e3, 4),
            Gflops = Math.Round(2.0 * n * n * n / median / 1e9, 2),
            Threads = Backprop.Threads.Count,
        };
    }
}
