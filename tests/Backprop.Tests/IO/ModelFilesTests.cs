using System.Text.Json.Nodes;
using Backprop.IO;
using Backprop.Losses;
using Backprop.NN;

namespace Backprop.Tests.IO;

public sealed class ModelFilesTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("backprop-modelfiles-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    /// <summary>Dense and every activation, with non-default arguments where a layer takes any (the other layers: AllLayersRoundTripTests).</summary>
    private static Sequential EveryLayer() => new(
        new Dense(5, 8, seed: 1), new Sigmoid(), new Dense(8, 8, bias: false, seed: 2), new Tanh(),
        new Dense(8, 8, seed: 3), new ReLU(), new Dense(8, 8, seed: 4), new LeakyReLU(0.2), new Dense(8, 8, seed: 5),
        new ELU(0.7), new Dense(8, 8, seed: 6), new GELU(), new Dense(8, 4, seed: 7), new Softmax(), new LogSoftmax());

    [Theory]
    [InlineData(DType.Float32)]
    [InlineData(DType.Float64)]
    public void SaveThenLoad_OfEveryLayerType_GivesBitIdenticalOutputsAndGradients(DType dtype)
    {
        var model = EveryLayer();
        model.To(dtype);
        string path = Path.Combine(_folder, "every.safetensors");
        model.Save(path);
        Module loaded = Model.Load(path);

        Assert.Equal(model.ToString(), loaded.ToString());
        Assert.Equal(dtype, loaded.DType);
        Assert.Equal(model.NamedParameters().Select(p => p.Name), loaded.NamedParameters().Select(p => p.Name));
        var input = Tensor.RandomNormal([6, 5], seed: 11, dtype: dtype);
        var (outputA, gradientsA) = OutputAndGradients(model, input);
        var (outputB, gradientsB) = OutputAndGradients(loaded, input);
        Assert.Equal(Bits(outputA), Bits(outputB));
        Assert.Equal(gradientsA.Select(Bits), gradientsB.Select(Bits));
    }

    [Fact]
    public void Save_WritesPyTorchNames_OwnDType_AndTheArchitectureInMetadata()
    {
        var model = new Sequential(new Dense(3, 2, seed: 1), new ReLU(), new Dense(2, 1, bias: false, seed: 2));
        string path = Path.Combine(_folder, "small.safetensors");
        model.Save(path);

        SafeTensorsFile file = SafeTensorsReader.Read(path);
        Assert.Equal(["0.weight", "0.bias", "2.weight"], file.Entries.Select(e => e.Name));
        Assert.All(file.Entries, e => Assert.Equal(SafeTensorsDType.F32, e.DType));
        Assert.Equal([2L, 3L], file["0.weight"].Shape);
        Assert.Equal(model[0].NamedParameters().First().Parameter.ToFloatArray(), file["0.weight"].ToFloatArray());
        var architecture = JsonNode.Parse(file.Metadata[ModelFiles.ArchitectureKey])!;
        Assert.Equal("backprop.model", (string?)architecture["format"]);
        Assert.Equal(1, (int?)architecture["version"]);
        Assert.Equal(
            """{"type":"Sequential","layers":[{"type":"Dense","inputs":3,"outputs":2,"bias":true},{"type":"ReLU"},{"type":"Dense","inputs":2,"outputs":1,"bias":false}]}""",
            architecture["model"]!.ToJsonString());
    }

    [Fact]
    public void Load_ReturnsAModelInTrainingModeWithoutTouchingTheGlobalRandomGenerator()
    {
        string path = Path.Combine(_folder, "m.safetensors");
        new Sequential(new Dense(4, 3, seed: 1)).Save(path);
        Rng.ManualSeed(5);
        double expected = Rng.Current.NextDouble();
        Rng.ManualSeed(5);
        Module loaded = Model.Load(path);
        Assert.Equal(expected, Rng.Current.NextDouble());
        Assert.True(loaded.IsTraining);
    }

    [Fact]
    public void Save_WhenItFails_LeavesThePreviousFileIntact()
    {
        string path = Path.Combine(_folder, "keep.safetensors");
        new Sequential(new Dense(2, 2, seed: 1)).Save(path);
        byte[] before = File.ReadAllBytes(path);

        Assert.Throws<NotSupportedException>(() => new Sequential(new Dense(2, 2, seed: 2), new Unregistered()).Save(path));
        Assert.Throws<InvalidOperationException>(() => AtomicFile.Write(path, stream =>
        {
            stream.Write(new byte[100]);
            throw new InvalidOperationException("disk full half way");
        }));

        Assert.Equal(before, File.ReadAllBytes(path));
        Assert.Equal([path], Directory.GetFiles(_folder));
    }

    [Fact]
    public void Save_ReplacesAnExistingFile()
    {
        string path = Path.Combine(_folder, "replace.safetensors");
        new Sequential(new Dense(2, 2, seed: 1)).Save(path);
        var second = new Sequential(new Dense(3, 1, seed: 2));
        second.Save(path);
        Assert.Equal("Sequential(Dense(3, 1))", Model.Load(path).ToString());
    }

    [Fact]
    public void Save_WithApplicationMetadata_KeepsItBesideTheArchitecture_AndRefusesTheFilesOwnKeys()
    {
        string path = Path.Combine(_folder, "metadata.safetensors");
        var model = new Sequential(new Dense(2, 3, seed: 1));
        model.Save(path, new Dictionary<string, string> { ["app.classes"] = "[\"cat\",\"dog\",\"eel\"]" });

        var metadata = SafeTensorsReader.Read(path).Metadata;
        Assert.Equal("[\"cat\",\"dog\",\"eel\"]", metadata["app.classes"]);
        Assert.Equal("pt", metadata["format"]);
        Assert.Equal(model.ToString(), Model.Load(path).ToString());

        var clash = Assert.Throws<ArgumentException>(() => model.Save(path, new Dictionary<string, string> { [ModelFiles.ArchitectureKey] = "{}" }));
        Assert.Contains("'backprop.architecture'", clash.Message);
        Assert.Equal("[\"cat\",\"dog\",\"eel\"]", SafeTensorsReader.Read(path).Metadata["app.classes"]);
    }

    private sealed class Unregistered : Module
    {
        public override Tensor Forward(Tensor input) => input;
    }

    internal static (Tensor Output, Tensor[] Gradients) OutputAndGradients(Module model, Tensor input)
    {
        var output = model.Forward(input);
        var target = Tensor.ZerosLike(output);
        new MseLoss().Forward(output, target).Backward();
        return (output, model.Parameters().Select(p => p.Grad!).ToArray());
    }

    internal static long[] Bits(Tensor tensor) => tensor.DType == DType.Float32
        ? [.. tensor.ToFloatArray().Select(v => (long)BitConverter.SingleToInt32Bits(v))]
        : [.. tensor.ToDoubleArray().Select(BitConverter.DoubleToInt64Bits)];
}
