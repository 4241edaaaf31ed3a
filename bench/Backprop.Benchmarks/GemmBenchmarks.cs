using BenchmarkDotNet.Attributes;
using Backprop.Kernels;

namespace Backprop.Benchmarks;

/// <summary>Square N×N·N×N products through <see cref="Gemm"/>, with a GFLOP/s column (2·N³ per product).</summary>
[Config(typeof(GflopsConfig))]
public class GemmBenchmarks
{
    private float[] a32 = [], b32 = [], c32 = [];
    private double[] a64 = [], b64 = [], c64 = [];

    /// <summary>The matrix side.</summary>
    [Params(256, 1024, 2048)]
    public int N { get; set; }

    /// <summary>The value given to <see cref="Threads.Count"/>.</summary>
    [Params(1, 2)]
    public int ThreadCount { get; set; }

    /// <summary>Fills the operands with fixed pseudo-random values.</summary>
    [GlobalSetup]
    public void Setup()
    {
        Threads.Count = ThreadCount;
        var random = new Random(1);
        a32 = Matrices.Random<float>(random, N * N);
        b32 = Matrices.Random<float>(random, N * N);
        c32 = new float[N * N];
        a64 = Matrices.Random<double>(random, N * N);
        b64 = Matrices.Random<double>(random, N * N);
        c64 = new double[N * N];
    }

    /// <summary>float32 product.</summary>
    [Benchmark(Baseline = true)]
    public void Float32() => Gemm.Multiply(a32, false, b32, false, c32, N, N, N, accumulate: false);

    /// <summary>float64 product.</summary>
    [Benchmark]
    public void Float64() => Gemm.Multiply(a64, false, b64, false, c64, N, N, N, accumulate: false);
}
