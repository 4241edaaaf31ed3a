using Backprop.Cli.Models;
using Backprop.Data;
using Backprop.Images;

namespace Backprop.Cli.Data;

/// <summary>
/// <c>--data DIR</c> as a folder of images (root/&lt;class&gt;/&lt;image&gt;), through <see cref="ImageFolder"/>: the training
/// and validation sources, the model's first layer (scaling and per-channel normalisation with the training
/// statistics) and the transform the model file records, so that predict, evaluate and export prepare images alike.
/// </summary>
internal static class ImageData
{
    /// <summary>Whether <paramref name="folder"/> holds MNIST-style IDX files (any file whose name has <c>-ubyte</c>), rather than images.</summary>
    public static bool HoldsIdxFiles(string folder) =>
        Directory.EnumerateFiles(folder).Any(file => Path.GetFileName(file).Contains("-ubyte", StringComparison.OrdinalIgnoreCase)
            || Path.GetFileName(file).Contains(".idx", StringComparison.OrdinalIgnoreCase));

    public static TrainingData ForTraining(string folder, ImageSettings settings, double? validationSplit, int seed, int? limit, TextWriter warnings)
    {
        var data = ImageFolder.Load(folder, new ImageFolderOptions
        {
            Width = settings.Size?.Width,
            Height = settings.Size?.Height,
            ColorMode = settings.ColorMode,
            Augmentation = settings.Augmentation,
            SkipBadImages = settings.SkipBadImages,
            ValidationFraction = validationSplit ?? 0.2,
            Seed = seed,
            TrainLimit = limit,
            MaxExampleValues = InputLimits.MaxInputValues,
        });
        Warn(warnings, data.Skipped);
        if (validationSplit is double fraction && data.ValidationFolder is { } heldOut)
            warnings.WriteLine(FormattableString.Invariant($"warning: --validation-split {fraction} is not used: {heldOut} holds the held-out images."));
        InputLimits.Check(data.Transform.Shape, folder);
        var info = new ModelInfo(ModelInfo.Image, data.ClassNames, [], null, "", data.Transform.Shape) { ImageTransform = data.Transform };
        return new TrainingData(data.Train, data.Validation, info, folder) { InputLayer = data.Normalization() };
    }

    /// <summary>
    /// What an image folder's default learning rate is, as a share of the optimiser's: a fifth for an MLP trained with the
    /// SGD family, the whole of it otherwise. The folder's inputs are normalised to unit variance, about three times the
    /// spread of pixels in [0, 1] that the defaults were tuned on, and plain SGD's first-layer steps grow with the inputs:
    /// the MLP on MNIST drawn as PNGs reaches a median of 96.0% held out at lr 0.01 and 94.0% at 0.05 (seeds 0–3), and a
    /// warm-up does not help it (93.3%). The CNN keeps the optimiser's rate because its default schedule warms up over the
    /// first epoch (<see cref="Commands.TrainCommand.CnnSchedule"/>), which is what its large early steps needed: 98.425%
    /// at 0.05 with the warm-up against 97.975% at 0.01 without. Adam and its kin scale their steps themselves.
    /// </summary>
    public static double LearningRateFactor(TrainingData data, string architecture, string optimizer) =>
        data.Info.InputKind == ModelInfo.Image && architecture == "mlp" && optimizer is "sgd" or "momentum" or "nesterov" ? 0.2 : 1;

    /// <summary>The labelled images of <paramref name="folder"/> (its test/ or val/ part when it has train/), prepared as the model says.</summary>
    public static IDataSource ForEvaluation(string folder, ModelInfo info, bool skipBadImages, TextWriter warnings)
    {
        var source = ImageFolder.LoadLabelled(RequireFolder(folder), info.ImageTransform!, info.ClassNames, skipBadImages);
        Warn(warnings, source.Skipped);
        return source;
    }

    /// <summary>Writes one warning line per file or folder left out.</summary>
    public static void Warn(TextWriter warnings, IReadOnlyList<SkippedImage> skipped)
    {
        if (skipped.Count == 0) return;
        warnings.WriteLine($"warning: skipped {skipped.Count} unreadable image file(s) or empty class folder(s):");
        foreach (var item in skipped) warnings.WriteLine($"warning: skipped {item}");
    }

    private static string RequireFolder(string folder) =>
        Directory.Exists(folder) ? folder : throw new DirectoryNotFoundException($"--data '{folder}' is not a folder; this model reads an image folder (root/<class>/<image>).");
}
