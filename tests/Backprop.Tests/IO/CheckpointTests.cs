using System.Text.Json.Nodes;
using Backprop.IO;
using Backprop.Losses;
using Backprop.NN;
using Backprop.Optimizers;

namespace Backprop.Tests.IO;

public sealed class CheckpointTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("backprop-checkpoint-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static Sequential NewModel(int seed) => new(new Dense(3, 4, seed: seed), new ReLU(), new Dense(4, 2, seed: seed + 1));

    private static void TrainSteps(Module model, Optimizer optimizer, int steps)
    {
        var input = Tensor.RandomNormal([5, 3], seed: 2);
        var target = Tensor.RandomNormal([5, 2], seed: 3);
        for (int i = 0; i < steps; i++)
        {
            optimizer.ZeroGrad();
            new MseLoss().Forward(model.Forward(input), target).Backward();
            optimizer.Step();
        }
    }

    [Fact]
    public void SaveThenLoad_IntoFreshObjects_ContinuesTrainingToTheBit()
    {
        var model = NewModel(1);
        var sgd = new Sgd(model.Parameters(), 0.1, momentum: 0.9);
        TrainSteps(model, sgd, 3);
        string path = Path.Combine(_folder, "c.safetensors");
        Checkpoint.Save(path, model, sgd, epoch: 7, new Dictionary<string, string> { ["note"] = "hello" });
        TrainSteps(model, sgd, 2);

        var fresh = NewModel(50);
        var freshSgd = new Sgd(fresh.Parameters(), 0.5, momentum: 0.9);
        Checkpoint checkpoint = Checkpoint.Load(path, fresh, freshSgd);
        TrainSteps(fresh, freshSgd, 2);

        Assert.Equal(7, checkpoint.Epoch);
        Assert.Equal("hello", checkpoint.Extra["note"]);
        Assert.Equal(0.1, freshSgd.LearningRate);
        Assert.Equal(5, freshSgd.StepCount);
        Assert.Equal(model.Parameters().Select(ModelFilesTests.Bits), fresh.Parameters().Select(ModelFilesTests.Bits));
    }

    [Fact]
    public void Load_WithoutAModel_RebuildsItFromTheArchitecture_AndRestoreFillsAnOptimiser()
    {
        var model = NewModel(1);
        var sgd = new Sgd(model.Parameters(), 0.1, momentum: 0.5);
        TrainSteps(model, sgd, 2);
        string path = Path.Combine(_folder, "c.safetensors");
        Checkpoint.Save(path, model, sgd, epoch: 1);

        Checkpoint checkpoint = Checkpoint.Load(path);
        var restored = new Sgd(checkpoint.Model.Parameters(), 0.1, momentum: 0.5);
        checkpoint.Restore(restored);
        TrainSteps(model, sgd, 1);
        TrainSteps(checkpoint.Model, restored, 1);
        Assert.Equal(model.Parameters().Select(ModelFilesTests.Bits), checkpoint.Model.Parameters().Select(ModelFilesTests.Bits));
    }

    [Fact]
    public void Load_FromAFileAlreadyRead_GivesTheSavedWeights_AsAModelOrACheckpoint()
    {
        var model = NewModel(1);
        var sgd = new Sgd(model.Parameters(), 0.1);
        TrainSteps(model, sgd, 2);
        string modelPath = Path.Combine(_folder, "m.safetensors"), checkpointPath = Path.Combine(_folder, "c.safetensors");
        model.Save(modelPath);
        Checkpoint.Save(checkpointPath, model, sgd, epoch: 4);

        var fromModel = Model.Load(SafeTensorsReader.Read(modelPath), modelPath);
        var fromCheckpoint = Checkpoint.Load(SafeTensorsReader.Read(checkpointPath), checkpointPath);
        Assert.Equal(model.Parameters().Select(ModelFilesTests.Bits), fromModel.Parameters().Select(ModelFilesTests.Bits));
        Assert.Equal(model.Parameters().Select(ModelFilesTests.Bits), fromCheckpoint.Model.Parameters().Select(ModelFilesTests.Bits));
        Assert.Equal(4, fromCheckpoint.Epoch);
        Assert.Throws<ModelFormatException>(() => Checkpoint.Load(SafeTensorsReader.Read(modelPath), modelPath));
    }

    [Fact]
    public void Load_IntoAnotherKindOfModel_OrFromAModelFile_IsAClearError()
    {
        string path = Path.Combine(_folder, "c.safetensors");
        var model = NewModel(1);
        Checkpoint.Save(path, model, new Sgd(model.Parameters(), 0.1), epoch: 1);
        var other = new Sequential(new Dense(3, 5, seed: 1), new ReLU(), new Dense(5, 2, seed: 2));
        var mismatch = Assert.Throws<ModelFormatException>(() => Checkpoint.Load(path, other, null));
        Assert.Contains("0.weight: file shape [4, 3], model shape [5, 3]", mismatch.Message);

        string modelPath = Path.Combine(_folder, "m.safetensors");
        model.Save(modelPath);
        var notCheckpoint = Assert.Throws<ModelFormatException>(() => Checkpoint.Load(modelPath));
        Assert.Contains("not a checkpoint", notCheckpoint.Message);
    }

    [Fact]
    public void Load_PutsEachDropoutGeneratorBackByLayerPath_IntoFreshObjectsAndIntoARebuiltModel()
    {
        static Sequential WithDropout(int seed) => new(new Dense(3, 2, seed: seed), new Dropout(0.5, seed: seed + 1), new Sequential(new Dropout(0.3, seed: seed + 2)));
        var model = WithDropout(1);
        var sgd = new Sgd(model.Parameters(), 0.1);
        TrainSteps(model, sgd, 2);
        string path = Path.Combine(_folder, "c.safetensors");
        Checkpoint.Save(path, model, sgd, epoch: 1);
        var expected = model.Forward(Tensor.Ones(4, 3));

        var fresh = WithDropout(9);
        Checkpoint.Load(path, fresh, new Sgd(fresh.Parameters(), 0.1));
        Assert.Equal(ModelFilesTests.Bits(expected), ModelFilesTests.Bits(fresh.Forward(Tensor.Ones(4, 3))));
        Checkpoint rebuilt = Checkpoint.Load(path);
        Assert.Equal(ModelFilesTests.Bits(expected), ModelFilesTests.Bits(rebuilt.Model.Forward(Tensor.Ones(4, 3))));
    }

    [Fact]
    public void Load_IntoAModelWhoseDropoutLayersSitElsewhere_NamesThePath_AndChangesNothing()
    {
        var model = new Sequential(new Dense(3, 4, seed: 1), new Dropout(0.5, seed: 2));
        string path = Path.Combine(_folder, "c.safetensors");
        Checkpoint.Save(path, model, null, epoch: 1);
        var other = new Sequential(new Dense(3, 4, seed: 1), new ReLU());
        var exception = Assert.Throws<ModelFormatException>(() => Checkpoint.Load(path, other, null));
        Assert.Contains("extra state for '1', which is not a module of the model with extra state", exception.Message);

        var moved = new Sequential(new Dense(3, 4, seed: 5), new ReLU(), new Dropout(0.5, seed: 3));
        ulong before = ((Dropout)moved[2]).GeneratorState;
        Assert.Throws<ModelFormatException>(() => Checkpoint.Load(path, moved, null));
        Assert.Equal(before, ((Dropout)moved[2]).GeneratorState);
    }

    [Fact]
    public void Load_OfAStateADropoutRefuses_NamesThePathAndTheValue_AndLeavesEveryDropoutAsItWas()
    {
        var model = new Sequential(new Dropout(0.5, seed: 1), new Dropout(0.5, seed: 2));
        string path = Path.Combine(_folder, "c.safetensors");
        Checkpoint.Save(path, model, null, epoch: 1);
        var file = SafeTensorsReader.Read(path);
        var metadata = new Dictionary<string, string>(file.Metadata);
        metadata[Checkpoint.MetadataKey] = metadata[Checkpoint.MetadataKey].Replace($"\"1\":\"{((Dropout)model[1]).GeneratorState}\"", "\"1\":\"-7\"", StringComparison.Ordinal);
        SafeTensorsWriter.Write(path, file.Entries, metadata);

        var fresh = new Sequential(new Dropout(0.5, seed: 3), new Dropout(0.5, seed: 4));
        ulong[] before = [((Dropout)fresh[0]).GeneratorState, ((Dropout)fresh[1]).GeneratorState];
        var exception = Assert.Throws<ModelFormatException>(() => Checkpoint.Load(path, fresh, null));
        Assert.Contains("extra state for '1' does not fit", exception.Message);
        Assert.Contains("got \"-7\"", exception.Message);
        Assert.Equal(before, new[] { ((Dropout)fresh[0]).GeneratorState, ((Dropout)fresh[1]).GeneratorState });
    }

    [Fact]
    public void SaveThenLoad_CarriesTheExtraStateOfAUsersModule()
    {
        var model = new Sequential(new Dense(2, 2, seed: 1), new StepCounter { Steps = 41 });
        string path = Path.Combine(_folder, "c.safetensors");
        Checkpoint.Save(path, model, null, epoch: 1);
        var fresh = new Sequential(new Dense(2, 2, seed: 2), new StepCounter());
        Checkpoint.Load(path, fresh, null);
        Assert.Equal(41, ((StepCounter)fresh[1]).Steps);
    }

    /// <summary>A module whose count is neither parameter nor buffer.</summary>
    private sealed class StepCounter : Module, IExtraState
    {
        public int Steps { get; set; }

        public override Tensor Forward(Tensor input) => input;

        public JsonNode GetExtraState() => Steps;

        public void SetExtraState(JsonNode? state) =>
            Steps = state is JsonValue value && value.TryGetValue(out int steps) ? steps : throw new ArgumentException("StepCounter: expected an integer.");
    }

    [Fact]
    public void SgdState_RoundTripsThroughGetStateAndLoadState_AndRejectsWrongLengths()
    {
        var model = NewModel(1);
        var sgd = new Sgd(model.Parameters(), 0.1, momentum: 0.9);
        TrainSteps(model, sgd, 1);
        OptimizerState state = sgd.GetState();
        Assert.Equal(1, state.StepCount);
        Assert.Equal(4, state.ParameterStates.Count);
        Assert.Equal(12, state.ParameterStates[0]["momentum_buffer"].Length);

        var broken = state with
        {
            ParameterStates = [.. state.ParameterStates.Select((buffers, i) => i == 1
                ? new Dictionary<string, double[]>(buffers) { ["momentum_buffer"] = new double[3] }
                : buffers)],
        };
        var exception = Assert.Throws<ArgumentException>(() => new Sgd(model.Parameters(), 0.1, momentum: 0.9).LoadState(broken));
        Assert.Contains("momentum_buffer", exception.Message);
        Assert.Contains("parameter 1", exception.Message);
    }
}
