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
    public static MnistData Load(string folder) => Load(folder, null);

    /// <summary>
    /// Loads the four files from <paramref name="folder"/>, keeping only the first <paramref name="trainLimit"/> training
    /// examples (all when null): the rest of the training files is read through but not kept, so memory follows the limit.
    /// Images may be N×H×W (<c>idx3</c>) or N×C×H×W (<c>idx4</c>, e.g. <c>train-images-idx4-ubyte</c>).
    /// </summary>
    /// <exception cref="DirectoryNotFoundException">The folder does not exist.</exception>
    /// <exception cref="FileNotFoundException">A file is missing; the message names the folder and the file.</exception>
    /// <exception cref="DataFormatException">A file is malformed, a label is not a digit 0–9, the images and labels of
    /// a set differ in count, or the training and test images differ in shape (the message names both files).</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="trainLimit"/> is negative.</exception>
    public static MnistData Load(string folder, int? trainLimit)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        if (!Directory.Exists(folder))
            throw new DirectoryNotFoundException($"MNIST folder '{folder}' does not exist.");
        string trainImages = Find(folder, TrainImagesFile), trainLabels = Find(folder, TrainLabelsFile);
        string testImages = Find(folder, TestImagesFile), testLabels = Find(folder, TestLabelsFile);
        var train = LoadSet(trainImages, trainLabels, trainLimit);
        var test = LoadSet(testImages, testLabels, null);
        RequireSameShape(train.Images, trainImages, test.Images, testImages);
        return new MnistData(train, test);
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
        var train = LoadSet(IdxReader.ReadImages(trainImages, TrainImagesFile), TrainImagesFile,
            IdxReader.ReadLabels(trainLabels, TrainLabelsFile), TrainLabelsFile);
        var test = LoadSet(IdxReader.ReadImages(testImages, TestImagesFile), TestImagesFile,
            IdxReader.ReadLabels(testLabels, TestLabelsFile), TestLabelsFile);
        RequireSameShape(train.Images, TrainImagesFile, test.Images, TestImagesFile);
        return new MnistData(train, test);
    }

    /// <summary>A network takes one shape: test images of another (28×28 against 14×56, even with as many pixels) are an error naming both files.</summary>
    private static void RequireSameShape(IdxImages train, string trainName, IdxImages test, string testName)
    {
        if (train.Channels != test.Channels || train.Rows != test.Rows || train.Columns != test.Columns)
            throw DataFormatException.InFile(testName,
                $"images are {Shape(test)} but the training images in {trainName} are {Shape(train)}; both sets must have one shape");
    }

    private static string Shape(IdxImages images) =>
        images.Channels == 1 ? $"{images.Rows}×{images.Columns}" : $"{images.Channels}×{images.Rows}×{images.Columns}";

    private static string Find(string folder, string baseName)
    {
        string dotted = baseName.Replace("-idx", ".idx", StringComparison.Ordinal);
        string[] names = [baseName, dotted, .. baseName.Contains("idx3", StringComparison.Ordinal)
            ? new[] { baseName.Replace("idx3", "idx4", StringComparison.Ordinal), dotted.Replace("idx3", "idx4", StringComparison.Ordinal) } : []];
        foreach (string candidate in names.SelectMany(name => new[] { name + ".gz", name }))
        {
            string path = Path.Combine(folder, candidate);
            if (File.Exists(path)) return path;
        }
        string present = string.Join(", ", Directory.EnumerateFiles(folder).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        throw new FileNotFoundException(
            $"MNIST folder '{folder}' has no {baseName} (nor {baseName}.gz); it contains: {(present.Length == 0 ? "no files" : present)}.",
            Path.Combine(folder, baseName));
    }

    private static MnistSet LoadSet(string imagesPath, string labelsPath, int? limit) =>
        LoadSet(IdxReader.ReadImages(imagesPath, limit), imagesPath, IdxReader.ReadLabels(labelsPath, limit), labelsPath);

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
