namespace Backprop.Images;

/// <summary>How <see cref="ImageFolder.Load"/> reads a folder of images and prepares them; every field has a default.</summary>
public sealed record ImageFolderOptions
{
    /// <summary>Width to resize to; null (with <see cref="Height"/> null) for the size every image shares, or 32×32 when they differ.</summary>
    public int? Width { get; init; }

    /// <summary>Height to resize to; null for <see cref="Width"/> (square), or the images' shared size when both are null.</summary>
    public int? Height { get; init; }

    /// <summary>Grey or RGB; null for grey when every file stores grey levels only, RGB otherwise.</summary>
    public ColorMode? ColorMode { get; init; }

    /// <summary>Augmentation of the training images (never of validation images); none by default.</summary>
    public ImageAugmentation Augmentation { get; init; }

    /// <summary>Leave out unreadable images and empty class folders (listed in <see cref="ImageFolderData.Skipped"/>) instead of failing on the first.</summary>
    public bool SkipBadImages { get; init; }

    /// <summary>Share of each class held out for validation when the folder has no <c>test/</c> or <c>val/</c> part, strictly between 0 and 1. Default 0.2.</summary>
    public double ValidationFraction { get; init; } = 0.2;

    /// <summary>Seeds the validation split and the choice of <see cref="TrainLimit"/> images.</summary>
    public int Seed { get; init; }

    /// <summary>Train on this many training images drawn at random (seeded); null for all.</summary>
    public int? TrainLimit { get; init; }

    /// <summary>
    /// Most values one example may have (channels × height × width), checked once the size and colour mode are known and
    /// before any image is decoded; null for no limit. A folder of large photographs all of one size would otherwise
    /// default to that size.
    /// </summary>
    public long? MaxExampleValues { get; init; }

    /// <summary>
    /// Bytes of decoded, resized images kept in memory between epochs (default 32 MiB: 10,900 RGB images of 32×32, or
    /// 42,000 grey 28×28 ones); images beyond it are decoded again every epoch, on the background thread. 64 MiB put
    /// training on 50,000 RGB 32×32 PNGs at 340–401 MB resident at the end of loading, 32 MiB at 280–318 MB.
    /// </summary>
    public long CacheBytes { get; init; } = DefaultCacheBytes;

    /// <summary>The default of <see cref="CacheBytes"/>, also <see cref="ImageFolder.LoadLabelled"/>'s.</summary>
    internal const long DefaultCacheBytes = 32L << 20;
}
