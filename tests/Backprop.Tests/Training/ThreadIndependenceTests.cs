using Backprop.Data;
using Backprop.Losses;
using Backprop.NN;
using Backprop.Optimizers;

namespace Backprop.Tests.Training;

[Collection("Threads")]
public sealed class ThreadIndependenceTests
{
    [Fact]
    public void Fit_MnistMlpForOneEpoch_GivesBitIdenticalWeightsWithOneAndTwoThreads()
    {
        // The MNIST 10k subset of data/mnist10k, 784-128-10 ReLU MLP as in the reference benchmark.
        var train = MnistFolder.Load(RepoPaths.Data("mnist10k")).Train.ToDataset();
        int original = Threads.Count;
        try
        {
            Threads.Count = 1;
            var serial = TrainOneEpoch(train);
            Threads.Count = 2;
            var parallel = TrainOneEpoch(train);
            Assert.Equal(serial.Length, parallel.Length);
            for (int i = 0; i < serial.Length; i++) Assert.Equal(serial[i], parallel[i]);
        }
        finally
        {
            Threads.Count = original;
        }
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
