using Backprop.Data;
using Backprop.Losses;
using Backprop.NN;
using Backprop.Optimizers;
using Backprop.Training;

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
    public void Fit_OfTheReferenceCnn_AllocatesAtMost64KBPerStep()
    {
        // The bench's CNN on random images of MNIST's shape; pooling's arg-max alone was 600 KB per step at batch 64.
        var train = new Dataset(Tensor.RandomUniform([256, 1, 28, 28], seed: 1), Enumerable.Range(0, 256).Select(i => i % 10).ToArray());
        Rng.ManualSeed(1);
        var model = new Sequential(
            new Conv2d(1, 8, 3, padding: 1), new ReLU(), new MaxPool2d(2),
            new Conv2d(8, 16, 3, padding: 1), new ReLU(), new MaxPool2d(2),
            new Flatten(), new Dense(16 * 7 * 7, 10));
        const int Epochs = 3, BatchSize = 64;
        long before = 0, allocated = 0;
        model.Fit(train, new FitOptions
        {
            Epochs = Epochs, BatchSize = BatchSize, Loss = new CrossEntropyLoss(), Optimizer = new Sgd(model.Parameters(), 0.05, momentum: 0.9),
            OnEpochStart = epoch => { if (epoch == Epochs) before = GC.GetTotalAllocatedBytes(precise: true); },
            OnEpochEnd = result => { if (result.Epoch == Epochs) allocated = GC.GetTotalAllocatedBytes(precise: true) - before; },
        });
        Assert.InRange(allocated / (train.Count / BatchSize), 0, 64 * 1024);
    }

    [Fact]
    public void Fit_Validating_AddsNoBatchOfActivationsToWhatTrainingAllocates()
    {
        // The tool's CNN for 32×32 RGB images: one batch of 64 holds ~13 MB of activations, one of 256 four times that,
        // and validating at a batch size of its own kept such a set (and the convolutions' work arrays) besides training's.
        var train = new Dataset(Tensor.RandomUniform([128, 3, 32, 32], seed: 1), Enumerable.Range(0, 128).Select(i => i % 10).ToArray());
        var validation = new Dataset(Tensor.RandomUniform([256, 3, 32, 32], seed: 2), Enumerable.Range(0, 256).Select(i => i % 10).ToArray());
        long Allocated(IDataSource? validate)
        {
            Rng.ManualSeed(1);
            var model = new Sequential(
                new Conv2d(3, 16, 3, padding: 1), new ReLU(), new MaxPool2d(2),
                new Conv2d(16, 32, 3, padding: 1), new ReLU(), new MaxPool2d(2),
                new Flatten(), new Dense(32 * 8 * 8, 10));
            long before = GC.GetTotalAllocatedBytes(precise: true);
            model.Fit(train, new FitOptions
            {
                Epochs = 2, BatchSize = 64, Validation = validate, Loss = new CrossEntropyLoss(), Optimizer = new Sgd(model.Parameters(), 0.01),
            });
            return GC.GetTotalAllocatedBytes(precise: true) - before;
        }
        Allocated(null);   // compiles the code paths and fills the shared pools, so neither measured run pays for them
        long without = Allocated(null), with = Allocated(validation);
        Assert.InRange(with - without, long.MinValue, 1L << 20);
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
