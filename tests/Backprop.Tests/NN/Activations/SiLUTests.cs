using Backprop.Autograd;
using Backprop.IO;
using Backprop.NN;
using Backprop.Tests.IO;
using Backprop.Training;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace Backprop.Tests.NN.Activations;

public sealed class SiLUTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void Forward_IsXTimesTheLogisticSigmoid()
    {
        double[] x = [-30, -2, -0.5, 0, 0.5, 1, 3, 30];
        // The naive formula x / (1 + e^−x) in double precision; at 1 it is 0.7310585786300049, at −2 −0.2384058440442351.
        double[] expected = [.. x.Select(v => v / (1 + Math.Exp(-v)))];
        double[] actual = new SiLU().Forward(Tensor.FromArray(x, x.Length)).ToDoubleArray();
        Assert.Equal(expected, actual, new WorkedExamples.Tolerance(1e-15));
        Assert.Equal(0.7310585786300049, actual[5], 1e-15);
    }

    [Fact]
    public void Backward_OfSilu_MatchesFiniteDifferences()
    {
        var x = Tensor.FromArray(new[] { -6.0, -2.5, -1.1, -0.3, 0.2, 0.9, 1.7, 4.0, 7.5 }, 3, 3);
        var result = GradCheck.Run(inputs => new SiLU().Forward(inputs[0]), x);
        Assert.True(result.Passed(1e-6), $"max relative error {result.MaxRelativeError:E2} at {result.WorstElement}");
    }

    [Theory]
    [InlineData(DType.Float32)]
    [InlineData(DType.Float64)]
    public void SaveThenLoad_GivesBitIdenticalOutputsAndGradients(DType dtype)
    {
        var model = new Sequential(new Dense(4, 6, seed: 1), new SiLU(), new Dense(6, 2, seed: 2));
        model.To(dtype);
        string path = _folder.File("silu.safetensors");
        model.Save(path);
        Module loaded = Model.Load(path);

        Assert.Contains("""{"type":"SiLU"}""", SafeTensorsReader.Read(path).Metadata[ModelFiles.ArchitectureKey]);
        Assert.Equal("Sequential(Dense(4, 6), SiLU(), Dense(6, 2))", loaded.ToString());
        var input = Tensor.RandomNormal([5, 4], seed: 3, dtype: dtype);
        var (outputA, gradientsA) = ModelFilesTests.OutputAndGradients(model, input);
        var (outputB, gradientsB) = ModelFilesTests.OutputAndGradients(loaded, input);
        Assert.Equal(ModelFilesTests.Bits(outputA), ModelFilesTests.Bits(outputB));
        Assert.Equal(gradientsA.Select(ModelFilesTests.Bits), gradientsB.Select(ModelFilesTests.Bits));
    }

    [Fact]
    public void ExportOnnx_RunInOnnxRuntime_MatchesTheEvaluationOutput_AtOpset13()
    {
        var model = new Sequential(new Dense(4, 8, seed: 1), new SiLU(), new Dense(8, 3, seed: 2), new SiLU());
        string path = _folder.File("silu.onnx");
        model.ExportOnnx(path);
        Assert.Equal(13, Backprop.IO.Onnx.Proto.ModelProto.Parser.ParseFrom(File.ReadAllBytes(path)).OpsetImport.Single().Version);

        using var session = new InferenceSession(path);
        var input = Tensor.RandomNormal([50, 4], seed: 4, std: 3.0);
        using var results = session.Run([NamedOnnxValue.CreateFromTensor("input", new DenseTensor<float>(input.ToFloatArray(), input.Shape))]);
        float[] actual = results.Single(result => result.Name == "output").AsTensor<float>().ToArray();
        float[] expected = model.Predict(input).ToFloatArray();
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-5, $"element {i}: Backprop {expected[i]}, ONNX Runtime {actual[i]}");
    }
}
