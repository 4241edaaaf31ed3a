using BenchmarkDotNet.Attributes;
using Backprop.Losses;

namespace Backprop.Benchmarks;

/// <summary>
/// The fused ops of a training step against the separate ops they replace, forward and backward, with the
/// bytes each allocates: Dense+ReLU at the 784-128-10 MLP's first layer (batch 64), and softmax-cross-entropy
/// on class indices against the one-hot target path (batch 64, 10 classes).
/// </summary>
[MemoryDiagnoser]
public class FusedOpBenchmarks
{
    private Tensor input = Tensor.Zeros(1), weight = Tensor.Zeros(1), bias = Tensor.Zeros(1), logits = Tensor.Zeros(1), oneHot = Tensor.Zeros(1);
    private int[] classes = [];
    private readonly CrossEntropyLoss loss = new();

    /// <summary>Fixed pseudo-random operands.</summary>
    [GlobalSetup]
    public void Setup()
    {
        Threads.Count = 1;
        input = Tensor.RandomUniform([64, 784], seed: 1);
        weight = Tensor.RandomNormal([128, 784], seed: 2, std: 0.03).RequireGrad();
        bias = Tensor.RandomNormal([128], seed: 3).RequireGrad();
        logits = Tensor.RandomNormal([64, 10], seed: 4).RequireGrad();
        classes = Enumerable.Range(0, 64).Select(i => i % 10).ToArray();
        var target = new float[64 * 10];
        for (int i = 0; i < 64; i++) target[(i * 10) + classes[i]] = 1;
        oneHot = Tensor.FromArray(target, 64, 10);
    }

    /// <summary>Dense and ReLU as one op, forward and backward.</summary>
    [Benchmark(Baseline = true)]
    public void DenseReluFused() => Tensor.Linear(input, weight, bias, DenseActivation.Relu).Sum().Backward();

    /// <summary>Dense then ReLU as two ops.</summary>
    [Benchmark]
    public void DenseReluSeparate() => Tensor.Linear(input, weight, bias).Relu().Sum().Backward();

    /// <summary>Cross-entropy on class indices (fused softmax, no one-hot tensor), forward and backward.</summary>
    [Benchmark]
    public void SoftmaxCrossEntropyOnClasses() => loss.Forward(logits, classes).Backward();

    /// <summary>Cross-entropy on a one-hot target (log-softmax, then the target's dot product, then the mean).</summary>
    [Benchmark]
    public void SoftmaxCrossEntropyOnOneHot() => loss.Forward(logits, oneHot).Backward();
}
