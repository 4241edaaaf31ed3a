using System.Diagnostics;
using Backprop.Kernels;

namespace Backprop.Benchmarks;

/// <summary>
/// A Stopwatch harness for the kernels of cnn_train's network at batch 64 (the two 3×3 convolutions, forward and
/// gradients, and the two 2×2 max poolings, forward and backward with the fused ReLU mask): the 10th percentile and median of
/// 200 calls after warm-up, for 1 and 2 threads. The low percentile is what the code costs on a shared machine.
/// </summary>
internal static class CnnQuick
{
    private const int Batch = 64, Calls = 200;

    public static void Run()
    {
        int original = Threads.Count;
        Console.WriteLine($"{"kernel",-34} {"threads",7} {"p10 µs",9} {"median µs",10}");
        foreach (int threads in new[] { 1, 2 })
        {
            Threads.Count = threads;
            Convolution("conv1 Conv2d(1, 8, 3, p1) 28×28", 1, 8, 28);
            Pooling("pool1 MaxPool2d(2) 8×28×28", 8, 28);
            Convolution("conv2 Conv2d(8, 16, 3, p1) 14×14", 8, 16, 14);
            Pooling("pool2 MaxPool2d(2) 16×14×14", 16, 14);
        }

        Threads.Count = original;
    }

    private static void Convolution(string name, int channels, int outChannels, int size)
    {
        var random = new Random(1);
        var g = ConvGeometry.Create(size, size, 3, 3, padH: 1, padW: 1);
        float[] input = Matrices.Random<float>(random, Batch * channels * g.InputPlaneSize);
        float[] weight = Matrices.Random<float>(random, outChannels * channels * 9);
        float[] bias = Matrices.Random<float>(random, outChannels);
        float[] output = new float[Batch * outChannels * g.OutputPlaneSize];
        float[] inputGradient = new float[input.Length];
        float[] weightGradient = new float[weight.Length];
        Report(name + " forward", () => Convolution2dKernels.Forward(input, Batch, channels, weight, outChannels, bias, g, output));
        Report(name + " ∂input", () => Convolution2dKernels.BackwardInput(output, Batch, channels, weight, outChannels, g, inputGradient));
        Report(name + " ∂weight", () => Convolution2dKernels.BackwardWeight(output, input, Batch, channels, outChannels, g, weightGradient));
    }

    private static void Pooling(string name, int channels, int size)
    {
        var random = new Random(1);
        int planes = Batch * channels;
        var g = ConvGeometry.Create(size, size, 2, 2, strideH: 2, strideW: 2);
        float[] input = Matrices.Random<float>(random, planes * g.InputPlaneSize);
        float[] pooled = new float[planes * g.OutputPlaneSize];
        int[] argMax = new int[pooled.Length];
        float[] gradient = Matrices.Random<float>(random, pooled.Length);
        float[] inputGradient = new float[input.Length];
        Report(name + " forward", () => Backprop.Kernels.Pooling.MaxPoolForward<float>(input, planes, g, pooled, argMax));
        Report(name + " backward, ReLU", () => Backprop.Kernels.Pooling.MaxPoolBackward<float>(gradient, argMax, pooled, planes, g, inputGradient));
    }

    private static void Report(string name, Action call)
    {
        var clock = Stopwatch.StartNew();
        for (int i = 0; i < 20 || clock.Elapsed < TimeSpan.FromSeconds(0.3); i++) call();
        var times = new double[Calls];
        for (int i = 0; i < Calls; i++)
        {
            long start = Stopwatch.GetTimestamp();
            call();
            times[i] = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
        }

        Array.Sort(times);
        Console.WriteLine($"{name,-34} {Threads.Count,7} {times[Calls / 10],9:F1} {times[Calls / 2],10:F1}");
    }
}
