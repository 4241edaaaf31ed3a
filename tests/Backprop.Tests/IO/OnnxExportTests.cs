using Backprop.IO;
using Backprop.NN;
using Backprop.Training;
using Microsoft.ML.OnnxRuntime.Tensors;
using Microsoft.ML.OnnxRuntime;

namespace Backprop.Tests.IO;

/// <summary>ONNX Runtime, run on the exported file, must reproduce Backprop's evaluation-mode output.</summary>
public sealed class OnnxExportTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("backprop-onnx-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    public static TheoryData<string> Models => ["classifier", "activations"];

    private static Sequential Build(string name) => name == "classifier"
        ? new Sequential(new Dense(6, 16, seed: 1), new ReLU(), new Dense(16, 4, seed: 2), new Softmax())
        : new Sequential(new Dense(6, 12, seed: 3), new Tanh(), new Dense(12, 12, seed: 4), new Sigmoid(), new Dense(12, 12, seed: 5), new GELU(),
            new Dense(12, 12, bias: false, seed: 6), new LeakyReLU(0.1), new Dense(12, 10, seed: 7), new ELU(0.8), new Dense(10, 3, seed: 8), new LogSoftmax());

    [Theory]
    [MemberData(nameof(Models))]
    public void ExportOnnx_RunInOnnxRuntime_MatchesEvaluationModeOutput_OnAHundredInputs_WithASymbolicBatch(string name)
    {
        var model = Build(name);
        string path = Path.Combine(_folder, $"{name}.onnx");
        model.ExportOnnx(path);

        using var session = new InferenceSession(path);
        Assert.Equal("batch", session.InputMetadata["input"].SymbolicDimensions[0]);
        Assert.Equal(6, session.InputMetadata["input"].Dimensions[1]);
        // 100 random inputs, in batches of 1 and of 7 (the last batch of 7 has 2), through the same file.
        var inputs = Tensor.RandomNormal([100, 6], seed: 42, std: 2.0);
        foreach (int batchSize in new[] { 1, 7 })
        {
            for (int start = 0; start < 100; start += batchSize)
            {
                int count = Math.Min(batchSize, 100 - start);
                var batch = inputs.Narrow(0, start, count);
                float[] expected = model.Predict(batch).ToFloatArray();
                using var results = session.Run([NamedOnnxValue.CreateFromTensor("input", new DenseTensor<float>(batch.ToFloatArray(), [count, 6]))]);
                float[] actual = results.Single(r => r.Name == "output").AsTensor<float>().ToArray();
                Assert.Equal(expected.Length, actual.Length);
                for (int i = 0; i < expected.Length; i++)
                    Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-5, $"batch {batchSize}, row {start}, element {i}: Backprop {expected[i]}, ONNX Runtime {actual[i]}");
            }
        }
    }

    [Fact]
    public void ExportOnnx_NamesInitializersByPyTorchNames_AndDeclaresOpset13()
    {
        string path = Path.Combine(_folder, "names.onnx");
        new Sequential(new Dense(2, 3, seed: 1), new ReLU(), new Dense(3, 1, seed: 2)).ExportOnnx(path);
        var model = Backprop.IO.Onnx.Proto.ModelProto.Parser.ParseFrom(File.ReadAllBytes(path));
        Assert.Equal(["0.weight", "0.bias", "2.weight", "2.bias"], model.Graph.Initializer.Select(t => t.Name));
        Assert.Equal(13, model.OpsetImport.Single().Version);
        Assert.Equal(["Gemm", "Relu", "Gemm", "Identity"], model.Graph.Node.Select(n => n.OpType));
    }

    [Fact]
    public void ExportOnnx_OfAnUnregisteredLayer_SaysHowToRegisterIt()
    {
        var exception = Assert.Throws<NotSupportedException>(() => new Sequential(new Dense(2, 2, seed: 1), new Custom()).ExportOnnx(Path.Combine(_folder, "x.onnx"), [2]));
        Assert.Contains("OnnxExporter.Register<Custom>", exception.Message);
        Assert.Empty(Directory.GetFiles(_folder));
    }

    private sealed class Custom : Module
    {
        public override Tensor Forward(Tensor input) => input;
    }
}
