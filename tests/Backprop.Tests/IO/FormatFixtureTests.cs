using Backprop.IO;
using Backprop.Losses;
using Backprop.NN;
using Backprop.Optimizers;
using Backprop.Training;

namespace Backprop.Tests.IO;

/// <summary>
/// The model files and the checkpoint in Fixtures/, written by an earlier version (see its README), load with
/// today's code to the bit: the regression guard for the file format.
/// </summary>
public sealed class FormatFixtureTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    public static TheoryData<string> Models => ["mlp", "cnn", "cnn-flatten", "normalization", "recurrent"];

    [Theory]
    [MemberData(nameof(Models))]
    public void Load_OfAFixture_GivesTheOutputsAndGradientsRecordedWhenItWasWritten(string name)
    {
        // The recorded values are what the writing version's loaded model gave on the recorded input.
        var expected = SafeTensorsReader.Read(Fixture(name + ".expected"));
        var input = ToTensor(expected["input"]);

        Module model = Model.Load(Fixture(name));
        model.Eval();
        // Recorded, the forward pass runs the kernels the writing version ran; without a graph a dense layer runs the
        // inference kernel, which sums in another order (issue 16), so there the outputs agree to float32 rounding.
        Assert.Equal(BitsOf(expected["output.eval"]), ModelFilesTests.Bits(model.Forward(input)));
        var recorded = ToTensor(expected["output.eval"]).ToDoubleArray();
        var predicted = model.Predict(input).ToDoubleArray();
        for (int i = 0; i < recorded.Length; i++) Assert.Equal(recorded[i], predicted[i], 1e-5 * Math.Max(1, Math.Abs(recorded[i])));

        model = Model.Load(Fixture(name));
        var output = model.Forward(input);
        (output * ToTensor(expected["projection"])).Sum().Backward();
        Assert.Equal(BitsOf(expected["output.train"]), ModelFilesTests.Bits(output));
        var gradients = expected.Entries.Where(entry => entry.Name.StartsWith("grad.", StringComparison.Ordinal)).ToList();
        Assert.Equal(gradients.Select(entry => entry.Name["grad.".Length..]), model.NamedParameters().Select(pair => pair.Name));
        foreach (var (entry, (_, parameter)) in gradients.Zip(model.NamedParameters()))
            Assert.Equal(BitsOf(entry), ModelFilesTests.Bits(parameter.Grad!));
    }

    [Theory]
    [MemberData(nameof(Models))]
    public void Save_OfALoadedFixture_WritesTheFixturesBytes(string name)
    {
        string again = _folder.File(name + ".safetensors");
        Model.Load(Fixture(name)).Save(again);
        Assert.Equal(File.ReadAllBytes(Fixture(name)), File.ReadAllBytes(again));
    }

    [Fact]
    public void Checkpoint_Fixture_ResumesToTheWeightsOfTheRunThatNeverStopped_AndSavesAgainToItsBytes()
    {
        // after.* are the weights the writing run reached two steps after saving the checkpoint.
        var expected = SafeTensorsReader.Read(Fixture("checkpoint.expected"));
        var after = expected.Entries.Where(entry => entry.Name.StartsWith("after.", StringComparison.Ordinal)).Select(BitsOf).ToList();

        var fresh = new Sequential(new Dense(4, 6, seed: 50), new ReLU(), new Dropout(0.3, seed: 51), new Dense(6, 3, seed: 52));
        var adam = new Adam(fresh.Parameters(), 0.5);
        Checkpoint checkpoint = Checkpoint.Load(Fixture("checkpoint"), fresh, adam);
        Assert.Equal(3, checkpoint.Epoch);
        Assert.Equal("0.5", checkpoint.Extra["best_loss"]);
        string again = _folder.File("checkpoint.safetensors");
        Checkpoint.Save(again, fresh, adam, checkpoint.Epoch, checkpoint.Extra);
        Assert.Equal(File.ReadAllBytes(Fixture("checkpoint")), File.ReadAllBytes(again));
        TrainTwoSteps(fresh, adam, expected);
        Assert.Equal(after, fresh.Parameters().Select(ModelFilesTests.Bits));

        Checkpoint rebuilt = Checkpoint.Load(Fixture("checkpoint"));
        var restored = new Adam(rebuilt.Model.Parameters());
        rebuilt.Restore(restored);
        TrainTwoSteps(rebuilt.Model, restored, expected);
        Assert.Equal(after, rebuilt.Model.Parameters().Select(ModelFilesTests.Bits));
    }

    private static void TrainTwoSteps(Module model, Optimizer optimizer, SafeTensorsFile data)
    {
        for (int step = 0; step < 2; step++)
        {
            optimizer.ZeroGrad();
            new MseLoss().Forward(model.Forward(ToTensor(data["input"])), ToTensor(data["target"])).Backward();
            optimizer.Step();
        }
    }

    private static string Fixture(string name) => Path.Combine(RepoPaths.Root, "tests", "Backprop.Tests", "IO", "Fixtures", name + ".safetensors");

    private static Tensor ToTensor(SafeTensorsEntry entry)
    {
        int[] shape = [.. entry.Shape.Select(d => (int)d)];
        return entry.DType == SafeTensorsDType.F32 ? Tensor.FromArray(entry.ToFloatArray(), shape) : Tensor.FromArray(entry.ToDoubleArray(), shape);
    }

    private static long[] BitsOf(SafeTensorsEntry entry) => ModelFilesTests.Bits(ToTensor(entry));
}
