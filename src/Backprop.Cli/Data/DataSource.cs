using System.Globalization;
using Backprop.Cli.Models;
using Backprop.Data;

namespace Backprop.Cli.Data;

/// <summary>
/// What <c>--data</c> names: nothing (the embedded MNIST subset), a folder of MNIST IDX files, a folder of images
/// (<see cref="ImageData"/>), or a CSV file.
/// </summary>
internal static class DataSource
{
    /// <summary>The training and validation sets for <c>backprop train</c>, with what the model file must record.</summary>
    /// <param name="path">The <c>--data</c> value, or null for the embedded MNIST subset.</param>
    /// <param name="validationSplit">Fraction of the training data held out (stratified); null for the default:
    /// MNIST validates on its test set, CSV holds out 0.2.</param>
    /// <param name="seed">Seeds the split.</param>
    /// <param name="images">Whether the model takes images [N, 1, 28, 28] (a CNN) rather than rows of features.</param>
    /// <param name="limit">Train on the first this many training examples only (after any split); null for all.</param>
    /// <param name="table">How a CSV table is read and preprocessed.</param>
    /// <param name="imageSettings">How to prepare an image folder's images.</param>
    /// <param name="warnings">Where warnings go (images skipped with --skip-bad-images).</param>
    public static TrainingData ForTraining(string? path, double? validationSplit, int seed, bool images, int? limit, TableOptions table,
        ImageSettings imageSettings, TextWriter warnings)
    {
        if (path is not null && Directory.Exists(path) && !ImageData.HoldsIdxFiles(path))
            return ImageData.ForTraining(path, imageSettings, validationSplit, seed, limit, warnings);
        if (imageSettings != ImageSettings.None)
            warnings.WriteLine($"warning: --image-size, --color-mode, --augment and --skip-bad-images apply to image folders; {path ?? EmbeddedMnist.Name} is not one, so they are not used.");
        if (path is not null && !Directory.Exists(path) && !images) return TableInput.ForTraining(RequireFile(path), table, validationSplit ?? 0.2, seed, limit);
        var data = Read(path, validationSplit, seed, images, limit);
        InputLimits.Check(data.Info.InputShape, data.Source);
        return limit is int count && data.Train is Dataset train && count < train.Count ? data with { Train = train.Subset([.. Enumerable.Range(0, count)]) } : data;
    }

    private static TrainingData Read(string? path, double? validationSplit, int seed, bool images, int? limit)
    {
        if (path is null || Directory.Exists(path))
        {
            // Only the training examples kept are held: the IDX reader reads the rest of the file through without keeping it.
            var mnist = path is null ? EmbeddedMnist.Load() : MnistFolder.Load(path, validationSplit is null ? limit : null);
            var train = mnist.Train.ToDataset(images);
            var validation = mnist.Test.ToDataset(images);
            if (validationSplit is double fraction) (train, validation) = train.SplitValidation(fraction, seed);
            var mnistInfo = MnistInfo with { InputShape = train.Inputs.Shape[1..] };
            return new TrainingData(train, validation, mnistInfo, path ?? EmbeddedMnist.Name);
        }
        // A CSV file without --arch cnn is read by TableInput; only a CNN given one comes here.
        throw new InvalidOperationException($"--arch cnn takes images (an image folder, an MNIST folder or the embedded subset), not the CSV file '{path}'; use --arch mlp.");
    }

    /// <summary>
    /// Labelled examples for <c>evaluate</c>, read as the model was trained: the test set of an MNIST folder (the
    /// embedded one when <paramref name="path"/> is null), or a CSV file with the model's feature and label columns.
    /// </summary>
    /// <param name="skipBadImages">For an image model: leave out unreadable images with a warning.</param>
    /// <param name="warnings">Where warnings go.</param>
    public static IDataSource ForEvaluation(string? path, ModelInfo info, char? delimiter, bool skipBadImages = false, TextWriter? warnings = null)
    {
        if (info.InputKind == ModelInfo.Image)
            return ImageData.ForEvaluation(path ?? throw new InvalidOperationException("This model classifies images; give a labelled image folder with --data FOLDER."),
                info, skipBadImages, warnings ?? TextWriter.Null);
        if (info.InputKind == ModelInfo.Mnist) return MnistTest(path, info);
        if (info.Preprocessor is { } preprocessor) return TableSource.Open(RequireCsv(path, info), preprocessor, labelled: true, delimiter);
        var table = CsvTable.Load(RequireCsv(path, info), new CsvOptions { LabelColumn = info.LabelColumn, ClassNames = info.ClassNames });
        RequireFeatures(path!, table, info);
        return table.ToDataset();
    }

    /// <summary>
    /// Inputs for <c>predict</c>: the MNIST test images, or a CSV file's feature columns; the CSV's label column may
    /// be absent, and its values, when present, are ignored (they may name classes the model never saw).
    /// </summary>
    public static Tensor ForPrediction(string? path, ModelInfo info)
    {
        if (info.InputKind == ModelInfo.Mnist) return MnistTest(path, info).Inputs;
        string file = RequireCsv(path, info);
        var header = CsvHeader(file);
        CsvTable table;
        if (header.Contains(info.LabelColumn!))
        {
            table = CsvTable.Load(file, new CsvOptions { LabelColumn = info.LabelColumn });
        }
        else
        {
            // The reader needs a label column; without one, the features are every column, as the model expects.
            using var text = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(WithLabelColumn(file, info.LabelColumn!)));
            table = CsvTable.Load(text, file, new CsvOptions { LabelColumn = info.LabelColumn });
        }
        RequireFeatures(file, table, info);
        return Tensor.FromArray(table.Features, table.Rows, table.FeatureCount);
    }

    private static readonly ModelInfo MnistInfo =
        new(ModelInfo.Mnist, [.. Enumerable.Range(0, 10).Select(d => d.ToString(CultureInfo.InvariantCulture))], [], null, "", []);

    private static Dataset MnistTest(string? path, ModelInfo info)
    {
        if (path is not null && !Directory.Exists(path))
            throw new FileNotFoundException($"--data '{path}' is not a folder; this model reads MNIST IDX files from a folder.", path);
        return (path is null ? EmbeddedMnist.Load() : MnistFolder.Load(path)).Test.ToDataset(info.TakesImages);
    }

    internal static string RequireFile(string path) =>
        File.Exists(path) ? path : throw new FileNotFoundException($"--data '{path}' does not exist (give an MNIST folder or a CSV file).", path);

    internal static string RequireCsv(string? path, ModelInfo info) => path is null
        ? throw new InvalidOperationException($"This model was trained on CSV columns {string.Join(", ", info.FeatureNames)}; give the data with --data FILE.csv.")
        : RequireFile(path);

    private static void RequireFeatures(string path, CsvTable table, ModelInfo info)
    {
        if (!table.FeatureNames.SequenceEqual(info.FeatureNames))
            throw new InvalidDataException($"{path}: feature columns {string.Join(", ", table.FeatureNames)} differ from the model's {string.Join(", ", info.FeatureNames)}.");
    }

    private static string[] CsvHeader(string path)
    {
        using var reader = new StreamReader(path);
        string? first = reader.ReadLine();
        return first is null ? [] : [.. first.Split(',').Select(name => name.Trim().Trim('"'))];
    }

    private static string WithLabelColumn(string path, string labelColumn)
    {
        var lines = File.ReadAllLines(path);
        for (int i = 0; i < lines.Length; i++)
            if (lines[i].Length > 0) lines[i] += i == 0 ? $",{labelColumn}" : ",0";
        return string.Join('\n', lines);
    }
}

/// <summary>The examples to train on and to validate with, and what the model file records about them.</summary>
/// <param name="Source">The data's name for the summary.</param>
internal sealed record TrainingData(IDataSource Train, IDataSource? Validation, ModelInfo Info, string Source)
{
    /// <summary>A first layer the data needs in the model (an image folder's scaling and normalisation); null for none.</summary>
    public Backprop.NN.Module? InputLayer { get; init; }

    /// <summary>For a CSV table: what was read and how, and the choices to report (task and why, notes).</summary>
    public TableData? Table { get; init; }
}
