namespace Backprop.Data;

/// <summary>
/// Loads MNIST from its four IDX files: <c>train-images-idx3-ubyte</c>,
/// <c>train-labels-idx1-ubyte</c>, <c>t10k-images-idx3-ubyte</c>, <c>t10k-labels-idx1-ubyte</c>,
/// each plain or gzip-compressed (<c>.gz</c>). Fashion-MNIST and KMNIST use the same names and load
/// the same way.
/// </summary>
/// <example>
/// <code>
/// MnistData mnist = MnistFolder.Load("data/mnist10k");
/// Console.WriteLine($"{mnist.Train.Count} training, {mnist.Test.Count} test images");
/// </code>
/// </example>
public static class MnistFolder
{
    /// <summary>Base name of the training images file.</summary>
    public const string TrainImagesFile = "train-images-idx3-ubyte";

    /// <summary>Base name of the training labels file.</summary>
    public const string TrainLabelsFile = "train-labels-idx1-ubyte";

    /// <summary>Base name of the test images file.</summary>
    public const string TestImagesFile = "t10k-images-idx3-ubyte";

    /// <summary>Base name of the test labels file.</summary>
    public const string TestLabelsFile = "t10k-labels-idx1-ubyte";

    private const int DigitCount = 10;

    /// <summary>
    /// Loads the four files from <paramref name="folder"/>. Each is found under its base name, with
    /// or without <c>.gz</c>, or with the dot that some mirrors use (<c>train-images.idx3-ubyte</c>).
    /// </summary>
    /// <exception cref="DirectoryNotFoundException">The folder does not exist.</exception>
    /// <exception cref="FileNotFoundException">A file is missing; the message names the folder and the file.</exception>
    /// <exception cref="DataFormatException">A file is malformed, a label is not a digit 0–9, or the
    /// images and labels of a set differ in count.</exception>
    public static MnistData Load(string folder)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        if (!Directory.Exists(folder))
            throw new DirectoryNotFoundException($"MNIST folder '{folder}' does not exist.");
        return new MnistData(
            LoadSet(Find(folder, TrainImagesFile), Find(folder, TrainLabelsFile)),
            LoadSet(Find(folder, TestImagesFile), Find(folder, TestLabelsFile)));
    }

    /// <summary>
    /// Loads the four files from streams, e.g. resources embedded in an assembly. The streams are
    /// read to their end and left open; each may be gzip-compressed or plain.
    /// </summary>
    /// <exception cref="DataFormatException">A stream is malformed (the message names it by its
    /// standard file name), a label is not a digit 0–9, or the images and labels of a set differ in count.</exception>
    public static MnistData Load(Stream trainImages, Stream trainLabels, Stream testImages, Stream testLabels)
    {
        ArgumentNullException.ThrowIfNull(trainImages);
        ArgumentNullException.ThrowIfNull(trainLabels);
        ArgumentNullException.ThrowIfNull(testImages);
        ArgumentNullException.ThrowIfNull(testLabels);
        return new MnistData(
            LoadSet(IdxReader.ReadImages(trainImages, TrainImagesFile), TrainImagesFile,
                IdxReader.ReadLabels(trainLabels, TrainLabelsFile), TrainLabelsFile),
            LoadSet(IdxReader.ReadImages(testImages, TestImagesFile), TestImagesFile,
                IdxReader.ReadLabels(testLabels, TestLabelsFile), TestLabelsFile));
    }

    private static string Find(string folder, string baseName)
    {
        string dotted = baseName.Replace("-idx", ".idx", StringComparison.Ordinal);
        foreach (string candidate in new[] { baseName + ".gz", baseName, dotted + ".gz", dotted })
        {
            string path = Path.Combine(folder, candidate);
            if (File.Exists(path)) return path;
        }
        string present = string.Join(", ", Directory.EnumerateFiles(folder).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        throw new FileNotFoundException(
            $"MNIST folder '{folder}' has no {baseName} (nor {baseName}.gz); it contains: {(present.Length == 0 ? "no files" : present)}.",
            Path.Combine(folder, baseName));
    }

    private static MnistSet LoadSet(string imagesPath, string labelsPath) =>
        LoadSet(IdxReader.ReadImages(imagesPath), imagesPath, IdxReader.ReadLabels(labelsPath), labelsPath);

    private static MnistSet LoadSet(IdxImages images, string imagesName, byte[] labels, string labelsName)
    {
        if (images.Count != labels.Length)
            throw DataFormatException.InFile(labelsName, $"has {labels.Length} labels but {imagesName} has {images.Count} images");
        int bad = Array.FindIndex(labels, label => label >= DigitCount);
        if (bad >= 0)
            throw DataFormatException.InFile(labelsName, $"example {bad} has label {labels[bad]}, not a digit 0–9");
        return new MnistSet(images, labels);
    }
}
