using Backprop.Data;
using Backprop.Losses;
using Backprop.NN;
using Backprop.Optimizers;

namespace Backprop.Tests.Training;

[Collection(MemoryMeasurement.Name)]
public sealed class StepMemoryTests
{
    [Theory]
    [InlineData(16)]
    [InlineData(64)]
    [InlineData(512)]
    public void Fit_AtSteadyState_AllocatesAtMost64KBPerStepWhateverTheBatchSize(int batchSize)
    {
        // Random inputs of MNIST's shape; without recycling one step of batch 512 allocates megabytes.
        var train = new Dataset(Tensor.RandomUniform([1024, 784], seed: 1), Enumerable.Range(0, 1024).Select(i => i % 10).ToArray());
        var model = new Sequential(new Dense(784, 128, seed: 1), new ReLU(), new Dense(128, 10, seed: 2));
        const int Epochs = 3;
        long before = 0, allocated = 0;
        model.Fit(train, new FitOptions
        {
            Epochs = Epochs, BatchSize = batchSize, Loss = new CrossEntropyLoss(), Optimizer = new Sgd(model.Parameters(), 0.1),
            OnEpochStart = epoch => { if (epoch == Epochs) before = GC.GetAllocatedBytesForCurrentThread(); },
            OnEpochEnd = result => { if (result.Epoch == Epochs) allocated = GC.GetAllocatedBytesForCurrentThread() - before; },
        });
        long steps = (train.Count + batchSize - 1) / batchSize;
        Assert.InRange(allocated / steps, 0, 64 * 1024);
    }

    [Fact]
    public void Fit_TensorsMadeInCallbacks_AreNotRecycledByLaterSteps()
    {
        var train = new Dataset(Tensor.RandomUniform([64, 8], seed: 1), Enumerable.Range(0, 64).Select(i => i % 3).ToArray());
        var model = new Sequential(new Dense(8, 16, seed: 1), new Tanh(), new Dense(16, 3, seed: 2));
        var probe = Tensor.RandomUniform([4, 8], seed: 2);
        var kept = new List<(Tensor Output, float[] Values)>();
        model.Fit(train, new FitOptions
        {
            Epochs = 2, BatchSize = 16, Loss = new CrossEntropyLoss(), Optimizer = new Sgd(model.Parameters(), 0.1),
            OnBatchEnd = _ =>
            {
                var output = model.Forward(probe);
                kept.Add((output, output.ToFloatArray()));
            },
        });
        Assert.Equal(8, kept.Count);
        foreach (var (output, values) in kept) Assert.Equal(values, output.ToFloatArray());
    }
}
