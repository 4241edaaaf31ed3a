using System.Diagnostics;
using System.Numerics;
using Backprop.Kernels;

namespace Backprop.Benchmarks;

/// <summary>
/// A Stopwatch harness for quick iteration on the kernel (seconds, not BenchmarkDotNet's minutes):
/// median of 10 timed runs after warm-up, as the libtorch reference benchmark measures.
/// </summary>
internal static class GemmQuick
{
    private const int Runs = 10;

    private static readonly TimeSpan WarmUp = TimeSpan.FromSeconds(0.5);

    /// <summary>Runs the square products (unless <paramref name="thinOnly"/>) and the thin ones of training and inference.</summary>
    public static void Run(bool thinOnly)
    {
        int original = Threads.Count;
        Console.WriteLine($"{"case",-30} {"threads",7} {"median",12} {"GFLOP/s",8} {"best",12} {"GFLOP/s",8}");
        foreach (int threads in thinOnly ? [] : new[] { 2, 1 })
        {
            Threads.Count = threads;
            foreach (int n in new[] { 256, 1024, 2048 })
            {
                Square<float>(n, threads);
            }

            Square<double>(1024, threads);
        }

        Thin<float>("x·W, 1×784 · 784×128", 1, 128, 784, transposeA: false, transposeB: false);
        Thin<float>("x·Wᵀ, 1×784 · (128×784)ᵀ", 1, 128, 784, transposeA: false, transposeB: true);
        Thin<float>("  direct", 1, 128, 784, transposeA: false, transposeB: true, Gemm.Path.Direct);
        Thin<float>("x·Wᵀ, 1×128 · (10×128)ᵀ", 1, 10, 128, transposeA: false, transposeB: true);
        Thin<float>("  direct", 1, 10, 128, transposeA: false, transposeB: true, Gemm.Path.Direct);
        Thin<float>("2×2 · 2×2", 2, 2, 2, transposeA: false, transposeB: false);
        foreach (int threads in new[] { 1, 2 })
        {
            Threads.Count = threads;

            // The products of one training step of the 784-128-10 MLP at batch 64 (forward, ∂W, ∂x of layer 2).
            Thin<float>("b64 x·Wᵀ 64×784·(128×784)ᵀ", 64, 128, 784, transposeA: false, transposeB: true);
            Thin<float>("  packed", 64, 128, 784, transposeA: false, transposeB: true, Gemm.Path.Avx512);
            Thin<float>("  dot", 64, 128, 784, transposeA: false, transposeB: true, Gemm.Path.Dot);
            Thin<float>("b64 ∂x g·W 64×128·128×784", 64, 784, 128, transposeA: false, transposeB: false);
            Thin<float>("b64 gᵀ·x (64×128)ᵀ·64×784", 128, 784, 64, transposeA: true, transposeB: false);
            Thin<float>("b128 x·Wᵀ 128×784·(512×784)ᵀ", 128, 512, 784, transposeA: false, transposeB: true);
            Thin<float>("  packed", 128, 512, 784, transposeA: false, transposeB: true, Gemm.Path.Avx512);
            Thin<float>("  dot", 128, 512, 784, transposeA: false, transposeB: true, Gemm.Path.Dot);
            Thin<float>("b128 x·Wᵀ 128×512·(256×512)ᵀ", 128, 256, 512, transposeA: false, transposeB: true);
            Thin<float>("  packed", 128, 256, 512, transposeA: false, transposeB: true, Gemm.Path.Avx512);
            Thin<float>("  dot", 128, 256, 512, transposeA: false, transposeB: true, Gemm.Path.Dot);
            Thin<float>("b128 gᵀ·x (128×512)ᵀ·128×784", 512, 784, 128, transposeA: true, transposeB: false);
            Thin<float>("b128 g·W 128×256·256×512", 128, 512, 256, transposeA: false, transposeB: false);
        }

        Threads.Count = original;
    }

    private static void Square<T>(int n, int threads)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var random = new Random(1);
        T[] a = Matrices.Random<T>(random, n * n), b = Matrices.Random<T>(random, n * n), c = new T[n * n];
        var seconds = Measure(() => Gemm.Multiply<T>(Gemm.Path.Automatic, a, false, b, false, c, n, n, n, accumulate: false), 1);
        Report($"{typeof(T).Name} N={n}", threads, seconds, 2.0 * n * n * n);
    }

    private static void Thin<T>(string name, int m, int n, int k, bool transposeA, bool transposeB, Gemm.Path path = Gemm.Path.Automatic)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var random = new Random(1);
        T[] a = Matrices.Random<T>(random, m * k), b = Matrices.Random<T>(random, k * n), c = new T[m * n];
        int repeats = (int)Math.Clamp(20_000_000L / ((long)m * n * k), 1, 1_000_000);
        var seconds = Measure(
            () =>
            {
                for (int r = 0; r < repeats; r++)
                {
                    Gemm.Multiply<T>(path, a, transposeA, b, transposeB, c, m, n, k, accumulate: false);
                }
            },
            repeats);
        Report(name, Threads.Count, seconds, 2.0 * m * n * k);
    }

    /// <summary>The median and best time of one call, measuring <paramref name="repeats"/> calls per sample.</summary>
    private static (double Median, double Best) Measure(Action body, int repeats)
    {
        // Long enough for tiered compilation to promote the kernel to its optimised code.
        long warmUpStart = Stopwatch.GetTimestamp();
        for (int warmUp = 0; warmUp < 3 || Stopwatch.GetElapsedTime(warmUpStart) < WarmUp; warmUp++)
        {
            body();
        }

        var samples = new double[Runs];
        for (int run = 0; run < Runs; run++)
        {
            long start = Stopwatch.GetTimestamp();
            body();
            samples[run] = Stopwatch.GetElapsedTime(start).TotalSeconds / repeats;
        }

        Array.Sort(samples);
        return ((samples[(Runs / 2) - 1] + samples[Runs / 2]) / 2, samples[0]);
    }

    private static void Report(string name, int threads, (double Median, double Best) seconds, double flops)
    {
        Console.WriteLine(
            $"{name,-30} {threads,7} {Time(seconds.Median),12} {flops / seconds.Median / 1e9,8:F1} {Time(seconds.Best),12} {flops / seconds.Best / 1e9,8:F1}");
    }

    private static string Time(double seconds) => seconds < 1e-3 ? $"{seconds * 1e6:F3} µs" : $"{seconds * 1e3:F3} ms";
}
