using System.Text.Json.Nodes;
using System.Xml.Linq;
using Backprop.IO;
using Backprop.NN;
using Microsoft.ML.OnnxRuntime;

namespace Backprop.Tests.IO;

/// <summary>An exported ONNX file carries what a deployment needs besides the graph, read back through ONNX Runtime.</summary>
public sealed class OnnxMetadataTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void ExportOnnx_WithADescription_WritesClassNamesPreprocessingAndVersionIntoMetadataProps()
    {
        var model = new Sequential(new Dense(4, 8, seed: 1), new ReLU(), new Dense(8, 3, seed: 2));
        var description = new ModelDescription
        {
            InputShape = [4],
            ClassNames = ["setosa", "versicolor", "virginica"],
            Preprocessing = new JsonObject { ["kind"] = "csv", ["features"] = new JsonArray("a", "b", "c", "d") },
        };
        string path = _folder.File("iris.onnx");

        model.ExportOnnx(path, description: description);

        using var session = new InferenceSession(path);
        var metadata = session.ModelMetadata.CustomMetadataMap;
        Assert.Equal("[\"setosa\",\"versicolor\",\"virginica\"]", metadata[OnnxMetadata.ClassNamesKey]);
        Assert.Equal("{\"kind\":\"csv\",\"features\":[\"a\",\"b\",\"c\",\"d\"]}", metadata[OnnxMetadata.PreprocessingKey]);
        Assert.Equal(description, ModelDescription.FromJson(metadata[ModelDescription.MetadataKey], path), DescriptionComparer);
        // The version is the one src/Directory.Build.props gives every package, plus the commit.
        Assert.StartsWith(PackageVersion() + "+", metadata[OnnxMetadata.VersionKey]);
        Assert.Equal(4, session.InputMetadata["input"].Dimensions[1]);
    }

    [Fact]
    public void ExportOnnx_WithoutADescription_WritesOnlyTheVersion()
    {
        string path = _folder.File("plain.onnx");
        new Sequential(new Dense(2, 2, seed: 1)).ExportOnnx(path);

        using var session = new InferenceSession(path);
        Assert.Equal([OnnxMetadata.VersionKey], session.ModelMetadata.CustomMetadataMap.Keys);
    }

    private static string PackageVersion() =>
        XDocument.Load(Path.Combine(RepoPaths.Root, "src", "Directory.Build.props")).Descendants("VersionPrefix").Single().Value;

    private static readonly IEqualityComparer<ModelDescription> DescriptionComparer =
        EqualityComparer<ModelDescription>.Create((a, b) => a!.ToJson() == b!.ToJson(), d => d.ToJson().GetHashCode(StringComparison.Ordinal));
}
