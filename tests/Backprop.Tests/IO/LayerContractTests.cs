using System.Text.Json.Nodes;
using Backprop.IO;
using Backprop.NN;
using Backprop.Training;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace Backprop.Tests.IO;

/// <summary>A layer owns its model-file and ONNX contracts; the serializer and the exporter only collect them.</summary>
public sealed class LayerContractTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void EveryPublicLayerOfTheLibrary_DescribesItselfForModelFiles_AndExportsItselfToOnnx()
    {
        var layers = typeof(Module).Assembly.GetExportedTypes().Where(type => type.IsSubclassOf(typeof(Module)) && !type.IsAbstract).ToList();
        Assert.Contains(typeof(Dense), layers);
        foreach (var layer in layers)
        {
            Assert.True(typeof(ISerializableLayer<>).MakeGenericType(layer).IsAssignableFrom(layer), $"{layer.Name} does not implement ISerializableLayer<{layer.Name}>");
            Assert.True(typeof(IOnnxExportable).IsAssignableFrom(layer), $"{layer.Name} does not implement IOnnxExportable");
            Assert.True(ModuleSerializer.IsRegistered(layer), $"{layer.Name} is not registered");
        }
    }

    [Fact]
    public void Register_OfAUsersLayerThatDescribesItself_SavesAndLoadsIt()
    {
        ModuleSerializer.Register<Scale>();
        var model = new Sequential(new Dense(2, 2, seed: 1), new Scale(2.5));
        string path = _folder.File("scale.safetensors");
        model.Save(path);

        var loaded = (Sequential)Model.Load(path);
        Assert.Equal(2.5, ((Scale)loaded[1]).Factor);
        var input = Tensor.RandomNormal([3, 2], seed: 2);
        Assert.Equal(ModelFilesTests.Bits(model.Forward(input)), ModelFilesTests.Bits(loaded.Forward(input)));
    }

    [Fact]
    public void Save_OfAUsersLayerThatIsNotRegistered_SaysToImplementTheInterfaceAndRegister()
    {
        var exception = Assert.Throws<NotSupportedException>(() => new Sequential(new Unsaved()).Save(_folder.File("x.safetensors")));
        Assert.Contains("implement ISerializableLayer<Unsaved> and call ModuleSerializer.Register<Unsaved>()", exception.Message);
    }

    [Fact]
    public void ExportOnnx_OfAUsersLayerThatExportsItself_NeedsNoRegistration_AndRunsInOnnxRuntime()
    {
        var model = new Sequential(new Dense(3, 4, seed: 1), new Scale(-1.5), new Dense(4, 2, seed: 2));
        string path = _folder.File("scale.onnx");
        model.ExportOnnx(path);

        using var session = new InferenceSession(path);
        var input = Tensor.RandomNormal([5, 3], seed: 3);
        using var results = session.Run([NamedOnnxValue.CreateFromTensor("input", new DenseTensor<float>(input.ToFloatArray(), input.Shape))]);
        float[] actual = results.Single(result => result.Name == "output").AsTensor<float>().ToArray();
        float[] expected = model.Predict(input).ToFloatArray();
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-5, $"element {i}: Backprop {expected[i]}, ONNX Runtime {actual[i]}");
    }

    [Fact]
    public void ExportOnnx_WorksOutTheInputShape_ThroughANestedChain_OnlyWhenItsLayersTellIt()
    {
        // Scale keeps any shape, so the Dense after the inner chain tells [3]; Flatten cannot tell, so nothing after it may.
        string path = _folder.File("nested.onnx");
        new Sequential(new Sequential(new Scale(2), new ReLU()), new Dense(3, 2, seed: 1)).ExportOnnx(path);
        using (var session = new InferenceSession(path))
            Assert.Equal(3, session.InputMetadata["input"].Dimensions[1]);

        var unknown = new Sequential(new Sequential(new Flatten()), new Dense(12, 2, seed: 1));
        var exception = Assert.Throws<ArgumentException>(() => unknown.ExportOnnx(_folder.File("flatten.onnx")));
        Assert.Contains("pass inputShape", exception.Message);
    }

    private sealed class Scale(double factor) : Module, ISerializableLayer<Scale>, IOnnxExportable
    {
        public double Factor { get; } = factor;

        public static string TypeName => "Test.ContractScale";

        public OnnxInputShape InputShape => OnnxInputShape.KeepsShape;

        public override Tensor Forward(Tensor input) => input * Factor;

        public static Scale FromArguments(LayerArguments arguments) => new(arguments.GetDouble("factor"));

        public JsonObject DescribeArguments() => new() { ["factor"] = Factor };

        public string ToOnnx(OnnxGraphBuilder graph, string input) => graph.AddNode("Mul", [input, graph.AddConstant(Factor)]);
    }

    private sealed class Unsaved : Module
    {
        public override Tensor Forward(Tensor input) => input;
    }
}
