using Backprop.IO;
using Backprop.NN;
using Backprop.Training;
using Microsoft.ML.OnnxRuntime.Tensors;
using Microsoft.ML.OnnxRuntime;

namespace Backprop.Tests.IO;

/// <summary>ONNX Runtime, run on the exported file, must reproduce Backprop's evaluation-mode output for every layer type.</summary>
public sealed class OnnxLayerExportTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("backprop-onnx-layers-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    public static TheoryData<string> Models => ["mlp", "cnn", "cnn-flatten", "lstm", "gru", "rnn-relu-time-major", "rnn-tanh"];

    /// <summary>A model, its per-example input shape and whether its inputs are indices (for Embedding) rather than features.</summary>
    private static (Sequential Model, int[] InputShape, bool Indices) Build(string name) => name switch
    {
        "mlp" => (new Sequential(
            new Standardize([0.5f, -1f, 2f, 0f, 3f], [2f, 0.5f, 1f, 3f, 1.5f]), new Dense(5, 16, seed: 1), new BatchNorm1d(16), new ReLU(),
            new LayerNorm([16]), new Dropout(0.5, seed: 2), new Dense(16, 3, seed: 3)), [5], false),
        "cnn" => (new Sequential(
            new Conv2d(2, 4, 3, padding: 1, seed: 1), new BatchNorm2d(4), new ReLU(), new MaxPool2d(2),
            new Conv2d(4, 6, (3, 2), stride: (1, 2), padding: (1, 1), dilation: (2, 1), seed: 2), new MaxPool2d((2, 1), stride: (1, 1), padding: (1, 0), dilation: (1, 1)),
            new AvgPool2d(2, stride: 1, padding: 1, countIncludePad: false), new Dropout(0.3, seed: 3), new GlobalAvgPool2d(), new Dense(6, 3, seed: 4)), [2, 8, 8], false),
        "cnn-flatten" => (new Sequential(
            new Conv2d(1, 3, 3, stride: 2, bias: false, seed: 1), new BatchNorm2d(3, affine: false), new Tanh(), new AvgPool2d(2, padding: 1),
            new Dropout(0.3, seed: 2), new Flatten(startDim: 2), new Flatten(), new Dense(27, 4, seed: 3)), [1, 9, 9], false),
        "lstm" => (new Sequential(
            new Embedding(10, 4, seed: 1), new Lstm(4, 6, numLayers: 2, batchFirst: true, seed: 2), new Flatten(), new Dense(30, 3, seed: 3)), [5], true),
        "gru" => (new Sequential(new Gru(3, 5, numLayers: 2, batchFirst: true, seed: 1)), [4, 3], false),
        // Time-major: the file's first ("batch") axis is time, the fixed second one the batch.
        "rnn-relu-time-major" => (new Sequential(new Rnn(3, 5, numLayers: 2, nonlinearity: RnnNonlinearity.Relu, bias: false, seed: 1)), [2, 3], false),
        _ => (new Sequential(new Rnn(3, 4, batchFirst: true, seed: 1), new Tanh()), [6, 3], false),
    };

    [Theory]
    [MemberData(nameof(Models))]
    public void ExportOnnx_RunInOnnxRuntime_MatchesEvaluationModeOutput_OnAHundredInputs(string name)
    {
        var (model, inputShape, indices) = Build(name);
        MoveRunningStatistics(model, inputShape, indices);
        string path = Path.Combine(_folder, $"{name}.onnx");
        model.ExportOnnx(path, inputShape);

        using var session = new InferenceSession(path);
        Assert.Equal("batch", session.InputMetadata["input"].SymbolicDimensions[0]);
        var inputs = Inputs(100, inputShape, indices, seed: 42);
        // 100 random inputs, in batches of 1 and of 7 (the last batch of 7 has 2), through the same file.
        foreach (int batchSize in new[] { 1, 7 })
        {
            for (int start = 0; start < 100; start += batchSize)
            {
                int count = Math.Min(batchSize, 100 - start);
                var batch = inputs.Narrow(0, start, count);
                float[] expected = model.Predict(batch).ToFloatArray();
                using var results = session.Run([NamedOnnxValue.CreateFromTensor("input", new DenseTensor<float>(batch.ToFloatArray(), batch.Shape))]);
                float[] actual = results.Single(r => r.Name == "output").AsTensor<float>().ToArray();
                Assert.Equal(expected.Length, actual.Length);
                for (int i = 0; i < expected.Length; i++)
                    Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-5, $"{name}, batch {batchSize}, row {start}, element {i}: Backprop {expected[i]}, ONNX Runtime {actual[i]}");
            }
        }
    }

    [Fact]
    public void ExportOnnx_OfEveryLayerType_StaysAtOpset13_WithTheOperatorsItMapsTo()
    {
        var operators = new HashSet<string>();
        foreach (string name in Models)
        {
            var (model, inputShape, _) = Build(name);
            string path = Path.Combine(_folder, $"{name}.onnx");
            model.ExportOnnx(path, inputShape);
            var proto = Backprop.IO.Onnx.Proto.ModelProto.Parser.ParseFrom(File.ReadAllBytes(path));
            Assert.Equal(13, proto.OpsetImport.Single().Version);
            operators.UnionWith(proto.Graph.Node.Select(node => node.OpType));
        }

        Assert.Superset(
            new HashSet<string> { "Sub", "Div", "BatchNormalization", "ReduceMean", "Conv", "MaxPool", "AveragePool", "GlobalAveragePool", "Flatten", "Reshape", "Cast", "Gather", "LSTM", "GRU", "RNN", "Squeeze", "Transpose" },
            operators);
        Assert.DoesNotContain("Dropout", operators);
    }

    [Fact]
    public void ExportOnnx_OfBatchNormWithoutRunningStatistics_SaysWhyNot()
    {
        var model = new Sequential(new Dense(3, 4, seed: 1), new BatchNorm1d(4, trackRunningStats: false));
        var exception = Assert.Throws<NotSupportedException>(() => model.ExportOnnx(Path.Combine(_folder, "bn.onnx")));
        Assert.Contains("BatchNorm1d(4) was created with trackRunningStats: false", exception.Message);
        Assert.Empty(Directory.GetFiles(_folder));
    }

    [Fact]
    public void ExportOnnx_WorksOutTheInputShape_FromStandardizeBatchNorm1dAndLayerNorm()
    {
        foreach (var (first, features) in new (Module, int)[] { (new Standardize([0f, 1f], [1f, 2f]), 2), (new BatchNorm1d(3), 3), (new LayerNorm([4]), 4) })
        {
            string path = Path.Combine(_folder, "shape.onnx");
            new Sequential(first, new Dense(features, 2, seed: 1)).ExportOnnx(path);
            using var session = new InferenceSession(path);
            Assert.Equal(features, session.InputMetadata["input"].Dimensions[1]);
        }
    }

    /// <summary>Trains-mode passes so batch norm's running statistics are not the trivial 0 and 1.</summary>
    private static void MoveRunningStatistics(Module model, int[] inputShape, bool indices)
    {
        using (Tensor.NoGrad())
            for (int seed = 0; seed < 3; seed++)
                model.Forward(Inputs(8, inputShape, indices, seed + 100));
    }

    private static Tensor Inputs(int count, int[] shape, bool indices, int seed)
    {
        if (!indices) return Tensor.RandomNormal([count, .. shape], seed: seed, std: 2.0);
        var random = new Random(seed);
        var values = new float[count * shape.Aggregate(1, (a, b) => a * b)];
        for (int i = 0; i < values.Length; i++) values[i] = random.Next(10);
        return Tensor.FromArray(values, [count, .. shape]);
    }
}
