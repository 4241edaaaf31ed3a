using Backprop.Data;
using Backprop.IO;

namespace Backprop.Images;

/// <summary>
/// A folder of images sorted into one subfolder per class, as torchvision's <c>ImageFolder</c> and Keras's
/// <c>image_dataset_from_directory</c> read it: <c>root/&lt;class&gt;/&lt;image&gt;</c> (images may sit deeper inside a
/// class folder). Classes are the folder names in ordinal order. When <c>root/train/</c> exists it holds the classes
/// and <c>root/test/</c> (or else <c>root/val/</c>) the held-out images; otherwise a stratified, seeded share
/// (<see cref="ImageFolderOptions.ValidationFraction"/>) of each class is held out. File extensions are matched
/// without regard to case (<see cref="ImageDecoder.Extensions"/>); hidden files and folders (a leading dot) and other
/// files are ignored.
/// </summary>
/// <example>
/// <code>
/// var data = ImageFolder.Load("photos", new ImageFolderOptions { Width = 32, Augmentation = ImageAugmentation.Flip });
/// var model = new Sequential(data.Normalization(), new Conv2d(3, 16, 3, padding: 1), new ReLU(), new MaxPool2d(2),
///     new Flatten(), new Dense(16 * 16 * 16, data.ClassNames.Count));
/// model.Fit(data.Train, new FitOptions { Epochs = 5, Loss = new CrossEntropyLoss(), Validation = data.Validation,
///     Optimizer = new Adam(model.Parameters(), 1e-3) });
/// </code>
/// </example>
public static class ImageFolder
{
    /// <summary>Reads the folder's layout and every image's header, decodes the images once (checking them, filling the
    /// cache and measuring the training images' statistics) and returns the sources.</summary>
    /// <exception cref="DirectoryNotFoundException">The folder does not exist.</exception>
    /// <exception cref="DataFormatException">The folder has fewer than two classes, a class folder has no images, or an
    /// image cannot be decoded (without <see cref="ImageFolderOptions.SkipBadImages"/>); the message names the path.</exception>
    public static ImageFolderData Load(string root, ImageFolderOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(root);
        options ??= new ImageFolderOptions();
        if (!(options.ValidationFraction > 0 && options.ValidationFraction < 1))
            throw new ArgumentOutOfRangeException(nameof(options), options.ValidationFraction, $"ValidationFraction is {options.ValidationFraction}; it must be strictly between 0 and 1.");
        if (!Directory.Exists(root)) throw new DirectoryNotFoundException($"image folder '{root}' does not exist.");

        var skipped = new List<SkippedImage>();
        var (trainRoot, heldOutRoot) = Layout(root);
        var classes = FolderScan.Classes(trainRoot, options.SkipBadImages, skipped);
        if (classes.Count < 2)
            throw new DataFormatException(trainRoot, classes.Count == 0
                ? "no class folders with images: put each class's images in a folder of its own, root/<class>/<image>"
                : $"one class folder ('{Quote.Short(classes[0].Name)}'); classification needs at least 2");
        string[] classNames = [.. classes.Select(c => c.Name)];
        var train = FolderScan.Labelled(classes);
        var heldOut = heldOutRoot is null ? null : FolderScan.Labelled(FolderScan.HeldOutClasses(heldOutRoot, classNames, options.SkipBadImages, skipped));

        var headers = FolderScan.Headers([.. train.Files, .. heldOut?.Files ?? []], options.SkipBadImages, skipped);
        train = train.Keep(headers);
        heldOut = heldOut?.Keep(headers);
        var transform = ChooseTransform(options, train.Files.Select(f => headers[f]).Concat(heldOut?.Files.Select(f => headers[f]) ?? []));
        if (options.MaxExampleValues is long most && transform.Length > most)
            throw new DataFormatException(root, $"images of {transform} make examples of {transform.Channels}×{transform.Height}×{transform.Width} = {transform.Length:N0} values, "
                + $"more than the {most:N0} allowed; ask for a smaller size");

        string origin;
        LabelledFiles validation;
        if (heldOut is not null)
        {
            validation = heldOut;
            origin = heldOutRoot!;
        }
        else
        {
            var split = Split.Stratified(train.Labels, options.ValidationFraction, options.Seed);
            validation = train.Select(split.Validation);
            train = train.Select(split.Train);
            origin = $"a stratified {options.ValidationFraction:0.##} of {trainRoot} (seed {options.Seed})";
        }
        if (options.TrainLimit is int limit && limit < train.Files.Length)
            train = train.Select([.. ExampleRandom.Order(train.Files.Length, options.Seed, 0).Take(limit).Order()]);

        var budget = new ImageCache.Budget(options.CacheBytes);
        var statistics = new ChannelStatistics(transform.Channels);
        (train, var trainCache) = FolderScan.DecodeAll(train, transform, budget, statistics, options.SkipBadImages, skipped);
        (validation, var validationCache) = FolderScan.DecodeAll(validation, transform, budget, null, options.SkipBadImages, skipped);
        if (train.Files.Length == 0) throw new DataFormatException(trainRoot, "no readable training images");

        skipped.Sort((a, b) => string.CompareOrdinal(a.Path, b.Path));
        return new ImageFolderData(classNames,
            new ImageSource(train.Files, train.Labels, classNames.Length, transform, options.Augmentation, trainCache, []),
            new ImageSource(validation.Files, validation.Labels, classNames.Length, transform, ImageAugmentation.None, validationCache, []),
            heldOutRoot, origin, statistics.Mean(), statistics.StandardDeviation(), skipped);
    }

    /// <summary>
    /// Labelled images to evaluate a trained model on: <c>root/test/</c> (or <c>root/val/</c>) when <c>root/train/</c>
    /// exists, otherwise every <c>root/&lt;class&gt;/</c> folder. Class folders are matched to the model's classes by name;
    /// a class the model does not know is an error.
    /// </summary>
    /// <remarks>Every image is decoded once here, so a bad file is reported (or skipped) before evaluation starts; up to
    /// <paramref name="cacheBytes"/> of them (by default 32 MiB, as <see cref="ImageFolderOptions.CacheBytes"/>) are kept for the pass that follows.</remarks>
    /// <exception cref="DataFormatException">A class is unknown to the model, the folder holds no images, or an image
    /// cannot be decoded (without <paramref name="skipBadImages"/>, which lists what it left out in <see cref="ImageSource.Skipped"/>).</exception>
    public static ImageSource LoadLabelled(string root, ImageTransform transform, IReadOnlyList<string> classNames, bool skipBadImages = false, long cacheBytes = ImageFolderOptions.DefaultCacheBytes)
    {
        ArgumentException.ThrowIfNullOrEmpty(root);
        ArgumentNullException.ThrowIfNull(transform);
        ArgumentNullException.ThrowIfNull(classNames);
        if (!Directory.Exists(root)) throw new DirectoryNotFoundException($"image folder '{root}' does not exist.");
        var (trainRoot, heldOutRoot) = Layout(root);
        string folder = heldOutRoot ?? trainRoot;
        var skipped = new List<SkippedImage>();
        var files = FolderScan.Labelled(FolderScan.HeldOutClasses(folder, classNames, skipBadImages, skipped));
        files = files.Keep(FolderScan.Headers(files.Files, skipBadImages, skipped));
        (files, var cache) = FolderScan.DecodeAll(files, transform, new ImageCache.Budget(cacheBytes), null, skipBadImages, skipped);
        if (files.Files.Length == 0) throw new DataFormatException(folder, "no images in its class folders");
        skipped.Sort((a, b) => string.CompareOrdinal(a.Path, b.Path));
        return new ImageSource(files.Files, files.Labels, classNames.Count, transform, ImageAugmentation.None, cache, skipped);
    }

    /// <summary>
    /// The image files a path names, for prediction: the file itself, or every image file under a folder (hidden ones
    /// left out) in ordinal order of their paths relative to it.
    /// </summary>
    /// <exception cref="FileNotFoundException">The path does not exist.</exception>
    public static IReadOnlyList<string> Files(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (Directory.Exists(path)) return FolderScan.ImagesUnder(path);
        if (File.Exists(path)) return [path];
        throw new FileNotFoundException($"{path}: no such file or folder.", path);
    }

    private static (string Train, string? HeldOut) Layout(string root)
    {
        string train = Path.Combine(root, "train");
        if (!Directory.Exists(train)) return (root, null);
        string test = Path.Combine(root, "test"), validation = Path.Combine(root, "val");
        return (train, Directory.Exists(test) ? test : Directory.Exists(validation) ? validation : null);
    }

    private static ImageTransform ChooseTransform(ImageFolderOptions options, IEnumerable<ImageHeader> headers)
    {
        var all = headers.ToList();
        int width, height;
        if (options.Width is not null || options.Height is not null)
        {
            width = options.Width ?? options.Height!.Value;
            height = options.Height ?? width;
        }
        else if (all.Count > 0 && all.All(h => h.Width == all[0].Width && h.Height == all[0].Height) && all[0].Width <= ImageDecoder.MaxSide && all[0].Height <= ImageDecoder.MaxSide)
        {
            (width, height) = (all[0].Width, all[0].Height);
        }
        else
        {
            (width, height) = (32, 32);
        }
        if (width < 1 || height < 1 || width > ImageDecoder.MaxSide || height > ImageDecoder.MaxSide)
            throw new ArgumentOutOfRangeException(nameof(options), $"image size {width}×{height}: each side must be from 1 to {ImageDecoder.MaxSide}.");
        var mode = options.ColorMode ?? (all.Count > 0 && all.All(h => h.IsGray) ? ColorMode.Gray : ColorMode.Rgb);
        return new ImageTransform(width, height, mode);
    }
}
