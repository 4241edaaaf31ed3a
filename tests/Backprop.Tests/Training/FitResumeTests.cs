using Backprop.Data;
using Backprop.IO;
using Backprop.Losses;
using Backprop.NN;
using Backprop.Optimizers;
using Backprop.Tests.IO;
using Backprop.Training;

namespace Backprop.Tests.Training;

public sealed class FitResumeTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("backprop-resume-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    // Three Gaussian blobs, seeded: enough batches per epoch (200/16 = 13) for momentum and shuffling to matter.
    private static Dataset Blobs()
    {
        var random = new Random(7);
        var inputs = new float[200 * 2];
        var labels = new int[200];
        for (int i = 0; i < 200; i++)
        {
            labels[i] = i % 3;
            inputs[2 * i] = (float)(labels[i] * 2 + random.NextDouble());
            inputs[2 * i + 1] = (float)(labels[i] - random.NextDouble());
        }
        return new Dataset(Tensor.FromArray(inputs, 200, 2), labels);
    }

    private static Sequential NewModel(int seed) => new(new Dense(2, 8, seed: seed), new Tanh(), new Dense(8, 3, seed: seed + 1));

    private static FitOptions Options(Optimizer optimizer, int epochs, string? directory = null, string? resume = null, int every = 1) => new()
    {
        CheckpointEvery = every,
        Epochs = epochs, BatchSize = 16, Loss = new CrossEntropyLoss(), Optimizer = optimizer, Seed = 3,
        Validation = Blobs(), CheckpointDirectory = directory, ResumeFrom = resume,
    };

    [Fact]
    public void FourEpochs_EqualTwoEpochs_Checkpoint_FreshObjects_TwoMoreEpochs_ToTheBit()
    {
        var straight = NewModel(1);
        var straightSgd = new Sgd(straight.Parameters(), 0.05, momentum: 0.9, nesterov: true);
        var straightHistory = straight.Fit(Blobs(), Options(straightSgd, 4));

        var first = NewModel(1);
        first.Fit(Blobs(), Options(new Sgd(first.Parameters(), 0.05, momentum: 0.9, nesterov: true), 2, directory: _folder));

        // As a new process would: a differently initialised model and a fresh optimiser, everything else from the file.
        var resumed = NewModel(100);
        var resumedSgd = new Sgd(resumed.Parameters(), 0.05, momentum: 0.9, nesterov: true);
        var resumedHistory = resumed.Fit(Blobs(), Options(resumedSgd, 4, resume: Path.Combine(_folder, "last.safetensors")));

        Assert.Equal([3, 4], resumedHistory.Epochs.Select(e => e.Epoch));
        Assert.Equal(straightHistory.Loss.Skip(2), resumedHistory.Loss);
        Assert.Equal(straight.Parameters().Select(ModelFilesTests.Bits), resumed.Parameters().Select(ModelFilesTests.Bits));
        Assert.Equal(straightSgd.StepCount, resumedSgd.StepCount);
        Assert.Equal(straightSgd.GetState().ParameterStates.Select(b => b["momentum_buffer"]),
                     resumedSgd.GetState().ParameterStates.Select(b => b["momentum_buffer"]));
    }

    [Fact]
    public void WithDropout_FourEpochs_EqualTwoEpochs_Checkpoint_FreshObjects_TwoMoreEpochs_ToTheBit()
    {
        // Fresh objects get other seeds, dropout's included: only the checkpoint can put the masks back on track.
        static Sequential WithDropout(int seed) => new(
            new Dense(2, 16, seed: seed), new ReLU(), new Dropout(0.5, seed: seed + 1), new Dense(16, 8, seed: seed + 2), new Tanh(),
            new Dropout(0.2, seed: seed + 3), new Dense(8, 3, seed: seed + 4));
        var straight = WithDropout(1);
        var straightHistory = straight.Fit(Blobs(), Options(new Sgd(straight.Parameters(), 0.05, momentum: 0.9), 4));

        var first = WithDropout(1);
        first.Fit(Blobs(), Options(new Sgd(first.Parameters(), 0.05, momentum: 0.9), 2, directory: _folder));
        var resumed = WithDropout(100);
        var resumedHistory = resumed.Fit(Blobs(), Options(new Sgd(resumed.Parameters(), 0.05, momentum: 0.9), 4, resume: Path.Combine(_folder, "last.safetensors")));

        Assert.Equal(straightHistory.Loss.Skip(2), resumedHistory.Loss);
        Assert.Equal(straight.Parameters().Select(ModelFilesTests.Bits), resumed.Parameters().Select(ModelFilesTests.Bits));
        Assert.Equal(((Dropout)straight[2]).GeneratorState, ((Dropout)resumed[2]).GeneratorState);
        Assert.Equal(((Dropout)straight[5]).GeneratorState, ((Dropout)resumed[5]).GeneratorState);
    }

    [Fact]
    public void Fit_WithACheckpointDirectory_SavesLastEveryNEpochs_AndBestWhenValidationImproves()
    {
        var model = NewModel(1);
        model.Fit(Blobs(), Options(new Sgd(model.Parameters(), 0.05), 3, directory: _folder, every: 2));
        Checkpoint last = Checkpoint.Load(Path.Combine(_folder, "last.safetensors"));
        Checkpoint best = Checkpoint.Load(Path.Combine(_folder, "best.safetensors"));
        Assert.Equal(2, last.Epoch);
        Assert.InRange(best.Epoch, 1, 3);
        Assert.Equal("Sgd", last.OptimizerType);
        Assert.Equal(2 * 13, last.OptimizerState!.StepCount);
        Assert.Equal(last.Model.ToString(), model.ToString());
    }
}
