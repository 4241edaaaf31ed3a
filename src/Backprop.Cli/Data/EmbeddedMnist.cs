using Backprop.Data;

namespace Backprop.Cli.Data;

/// <summary>The MNIST 10k subset (data/mnist10k: 8000 training, 2000 test images) embedded in the tool's assembly.</summary>
internal static class EmbeddedMnist
{
    /// <summary>What error messages and the model file call the embedded data.</summary>
    public const string Name = "embedded MNIST 10k subset";

    public static MnistData Load()
    {
        using var trainImages = Open(MnistFolder.TrainImagesFile);
        using var trainLabels = Open(MnistFolder.TrainLabelsFile);
        using var testImages = Open(MnistFolder.TestImagesFile);
        using var testLabels = Open(MnistFolder.TestLabelsFile);
        return MnistFolder.Load(trainImages, trainLabels, testImages, testLabels);
    }

    private static Stream Open(string baseName)
    {
        string resource = $"mnist10k/{baseName}.gz";
        return typeof(EmbeddedMnist).Assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"The tool was built without its resource '{resource}'; rebuild Backprop.Cli.");
    }
}
