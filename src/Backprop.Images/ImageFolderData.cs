using Backprop.NN;

namespace Backprop.Images;

/// <summary>
/// A folder of images read by <see cref="ImageFolder.Load"/>: the classes, the training and validation sources, the
/// transform every image goes through and the training images' per-channel statistics.
/// </summary>
public sealed class ImageFolderData
{
    internal ImageFolderData(IReadOnlyList<string> classNames, ImageSource train, ImageSource validation, string? validationFolder,
        string validationOrigin, IReadOnlyList<float> mean, IReadOnlyList<float> standardDeviation, IReadOnlyList<SkippedImage> skipped)
    {
        ClassNames = classNames;
        Train = train;
        Validation = validation;
        ValidationFolder = validationFolder;
        ValidationOrigin = validationOrigin;
        Mean = mean;
        StandardDeviation = standardDeviation;
        Skipped = skipped;
    }

    /// <summary>The class folders' names in ordinal order: class i is <c>ClassNames[i]</c>.</summary>
    public IReadOnlyList<string> ClassNames { get; }

    /// <summary>The images to train on, decoded per batch, augmented as the options say.</summary>
    public ImageSource Train { get; }

    /// <summary>The held-out images: the folder's <c>test/</c> (or <c>val/</c>) part, or a stratified share of the training images.</summary>
    public ImageSource Validation { get; }

    /// <summary>The folder <see cref="Validation"/> was read from (<c>root/test/</c> or <c>root/val/</c>, when <c>root/train/</c>
    /// exists), or null when it is a stratified share of the training images and <see cref="ImageFolderOptions.ValidationFraction"/> was used.</summary>
    public string? ValidationFolder { get; }

    /// <summary>Where <see cref="Validation"/> comes from: the folder it was read from, or the split that made it.</summary>
    public string ValidationOrigin { get; }

    /// <summary>How every image becomes an input: size and colour mode.</summary>
    public ImageTransform Transform => Train.Transform;

    /// <summary>Each channel's mean over the training images, pixels scaled to [0, 1].</summary>
    public IReadOnlyList<float> Mean { get; }

    /// <summary>Each channel's standard deviation over the training images (population, pixels scaled to [0, 1]).</summary>
    public IReadOnlyList<float> StandardDeviation { get; }

    /// <summary>What <see cref="ImageFolderOptions.SkipBadImages"/> left out, in ordinal order of the paths; empty otherwise.</summary>
    public IReadOnlyList<SkippedImage> Skipped { get; }

    /// <summary>
    /// A new first layer for a model of these images: scales pixels 0–255 to [0, 1] and normalises each channel with the
    /// training statistics, so the model file and its ONNX export take raw pixels.
    /// </summary>
    public ChannelNormalize Normalization() => new(Mean, StandardDeviation, scale: 1 / 255f);
}
