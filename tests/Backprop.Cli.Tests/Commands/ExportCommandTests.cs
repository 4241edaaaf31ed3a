using System.Globalization;
using Backprop.Cli.Data;
using Backprop.Data;
using Backprop.Tests;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace Backprop.Cli.Tests.Commands;

[Collection(TrainedCnnCollection.Name)]
public class ExportCommandTests(TrainedCnnModel cnn)
{
    [Fact]
    public void Onnx_OfTheCnn_RunsInOnnxRuntime_WithTheProbabilitiesPredictPrints() => AssertOnnxMatchesPredict(cnn.ModelPath, [1, 28, 28]);

    [Fact]
    public void Onnx_OfAnMlpWithBatchNormAndDropout_RunsInOnnxRuntime_WithTheProbabilitiesPredictPrints()
    {
        using var folder = new TempFolder();
        var train = CliRun.InProcess("train", "--hidden", "32,16", "--batch-norm", "--dropout", "0.3", "--limit", "500", "--epochs", "1", "--quiet", "--no-plot",
            "--out", folder.File("mlp.safetensors"));
        Assert.Equal(0, train.ExitCode);

        AssertOnnxMatchesPredict(folder.File("mlp.safetensors"), [784]);
    }

    [Fact]
    public void MissingModel_IsAUserError_AndMissingOnnx_IsAUsageError()
    {
        var missing = CliRun.InProcess("export", "--model", "no-such-model.safetensors", "--onnx", "out.onnx");
        Assert.Equal(1, missing.ExitCode);
        Assert.Contains("no such model file", missing.ErrorLines[0]);

        Assert.Equal(2, CliRun.InProcess("export", "--model", "m.safetensors").ExitCode);
    }

    private static void AssertOnnxMatchesPredict(string modelPath, int[] inputShape)
    {
        using var folder = new TempFolder();
        string onnxPath = folder.File("model.onnx");
        var export = CliRun.InProcess("export", "--model", modelPath, "--onnx", onnxPath);
        Assert.Equal(0, export.ExitCode);
        Assert.Contains($"[batch, {string.Join(", ", inputShape)}]", export.Output);

        // The first 100 images of the embedded test set, as predict reads them.
        const int count = 100;
        var images = EmbeddedMnist.Load().Test.ToDataset(asImages: inputShape.Length == 3).Inputs.Narrow(0, 0, count);
        using var session = new InferenceSession(onnxPath);
        Assert.Equal("batch", session.InputMetadata["input"].SymbolicDimensions[0]);
        using var results = session.Run([NamedOnnxValue.CreateFromTensor("input", new DenseTensor<float>(images.ToFloatArray(), [count, .. inputShape], reverseStride: false))]);
        var probabilities = Tensor.FromArray(results.Single(r => r.Name == "output").AsTensor<float>().ToArray(), count, 10).Softmax().ToDoubleArray();

        var predicted = CliRun.InProcess("predict", "--model", modelPath).Output.Split('\n', StringSplitOptions.RemoveEmptyEntries)[1..(count + 1)];
        for (int row = 0; row < count; row++)
        {
            var printed = predicted[row].Split(',')[2..].Select(field => double.Parse(field, CultureInfo.InvariantCulture)).ToArray();
            // predict prints 6 significant digits.
            for (int c = 0; c < 10; c++)
                Assert.True(Math.Abs(printed[c] - probabilities[row * 10 + c]) <= 1e-5, $"image {row}, class {c}: predict {printed[c]}, ONNX Runtime {probabilities[row * 10 + c]}");
        }
    }
}
