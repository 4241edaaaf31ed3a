using Backprop.Data;
using Backprop.Losses;
using Backprop.NN;
using Backprop.Optimizers;
using Backprop.Training;

namespace Backprop.Tests.Training;

[Collection("Threads")]
public sealed class ThreadIndependenceTests
{
    [Fact]
    public void Fit_MnistMlpForOneEpoch_GivesBitIdenticalWeightsWithOneAndTwoThreads()
    {
        // The MNIST 10k subset of data/mnist10k, 784-128-10 ReLU MLP as in the reference benchmark.
        var train = MnistFolder.Load(RepoPaths.Data("mnist10k")).Train.ToDataset();
        AssertSameBitsOnOneAndTwoThreads(() => TrainOneEpoch(train));
    }

    [Fact]
    public async Task Fit_WhileAWarmupRunsOnAnotherThread_GivesTheSameBits()
    {
        // The warm-up competes for the kernel workers (the caller then runs its products alone) and has its own seeds.
        var train = MnistFolder.Load(RepoPaths.Data("mnist10k")).Train.ToDataset();
        var alone = TrainOneEpoch(train);
        var warming = Warmup.Start();
        var alongside = TrainOneEpoch(train);
        await warming;
        for (int i = 0; i < alone.Length; i++) Assert.Equal(alone[i], alongside[i]);
    }

    [Fact]
    public void Fit_ReferenceCnnForOneEpoch_GivesBitIdenticalWeightsWithOneAndTwoThreads()
    {
        // The cnn_train network of the reference benchmark (direct convolutions, fused ReLU → MaxPool2d) on the first
        // 1 024 images of the MNIST 10k subset.
        var flat = MnistFolder.Load(RepoPaths.Data("mnist10k")).Train.ToDataset().Subset(Enumerable.Range(0, 1024).ToArray());
        var train = new Dataset(flat.Inputs.Reshape(-1, 1, 28, 28), flat.Labels!, flat.ClassCount);
        AssertSameBitsOnOneAndTwoThreads(() => TrainCnnOneEpoch(train));
    }

    /// <summary>Trains with <see cref="Threads.Count"/> 1, then 2, and asserts every parameter has the same bits.</summary>
    private static void AssertSameBitsOnOneAndTwoThreads(Func<float[][]> train)
    {
        var serial = ThreadCount.With(1, train);
        var parallel = ThreadCount.With(2, train);
        Assert.Equal(serial.Length, parallel.Length);
        for (int i = 0; i < serial.Length; i++) Assert.Equal(serial[i], parallel[i]);
    }

    private static float[][] TrainCnnOneEpoch(Dataset train)
    {
        var model = new Sequential(
            new Conv2d(1, 8, 3, padding: 1, seed: 1), new ReLU(), new MaxPool2d(2),
            new Conv2d(8, 16, 3, padding: 1, seed: 2), new ReLU(), new MaxPool2d(2),
            new Flatten(), new Dense(16 * 7 * 7, 10, seed: 3));
        model.Fit(train, new FitOptions
        {
            Epochs = 1, BatchSize = 64, Loss = new CrossEntropyLoss(), Optimizer = new Sgd(model.Parameters(), 0.05, momentum: 0.9), Seed = 4,
        });
        return model.Parameters().Select(p => p.ToFloatArray()).ToArray();
    }

    [Fact]
    public void Warmup_StartedTwice_IsOneWarmup()
    {
        Assert.Same(Warmup.Start(), Warmup.Start());
    }

    private static float[][] TrainOneEpoch(Dataset train)
    {
        var model = new Sequential(new Dense(784, 128, seed: 1), new ReLU(), new Dense(128, 10, seed: 2));
        var history = model.Fit(train, new FitOptions
        {
            Epochs = 1, BatchSize = 64, Loss = new CrossEntropyLoss(), Optimizer = new Sgd(model.Parameters(), 0.1), Seed = 3,
        });
        Assert.True(history.Epochs[0].Loss < 1.5, $"one epoch should learn something; loss {history.Epochs[0].Loss}");
        return model.Parameters().Select(p => p.ToFloatArray()).ToArray();
    }
}
