using Backprop.IO;
using Backprop.Tests;
using Microsoft.ML.OnnxRuntime;

namespace Backprop.Cli.Tests.Commands;

public class ExportMetadataTests
{
    [Fact]
    public void Onnx_OfTheIrisModel_CarriesItsClassNamesAndColumns()
    {
        using var folder = new TempFolder();
        string onnx = folder.File("iris.onnx");
        string model = Path.Combine(RepoPaths.Root, "tests", "Backprop.Cli.Tests", "Fixtures", "iris-cli-info.safetensors");

        Assert.Equal(0, CliRun.InProcess("export", "--model", model, "--onnx", onnx).ExitCode);

        using var session = new InferenceSession(onnx);
        var metadata = session.ModelMetadata.CustomMetadataMap;
        // The species of data/iris/iris.csv, in the sorted order the model's outputs take.
        Assert.Equal("[\"setosa\",\"versicolor\",\"virginica\"]", metadata[OnnxMetadata.ClassNamesKey]);
        Assert.Contains("\"kind\":\"csv\"", metadata[OnnxMetadata.PreprocessingKey]);
        Assert.Contains("\"petal_width\"", metadata[OnnxMetadata.PreprocessingKey]);
    }
}
