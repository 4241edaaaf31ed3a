using Backprop.Images.Tests;
using Backprop.Tests;
using SkiaSharp;

namespace Backprop.Cli.Tests;

/// <summary>
/// A folder of tinted RGB JPEGs of 20×20 made from the MNIST subset (digits 0–2, train/ 30 each, test/ 8 each), and a
/// small CNN trained on it once by <c>backprop train --data folder --arch cnn</c>, shared by the image command tests.
/// </summary>
public sealed class ImageFolderModel : IDisposable
{
    private readonly TempFolder _folder = new();

    public ImageFolderModel()
    {
        Root = Path.Combine(_folder.Path, "digits");
        MnistPictures.WriteFolder(Path.Combine(Root, "train"), MnistPictures.Train, perClass: 30, classes: 3, SKEncodedImageFormat.Jpeg, rgb: true, size: 20);
        MnistPictures.WriteFolder(Path.Combine(Root, "test"), MnistPictures.Test, perClass: 8, classes: 3, SKEncodedImageFormat.Jpeg, rgb: true, size: 20);
        ModelPath = _folder.File("digits.safetensors");
        Train = CliRun.InProcess("train", "--data", Root, "--arch", "cnn", "--channels", "4,8", "--epochs", "2", "--batch-size", "16",
            "--augment", "flip,crop", "--no-plot", "--quiet", "--out", ModelPath);
    }

    /// <summary>The image folder, with train/ and test/.</summary>
    public string Root { get; }

    public string ModelPath { get; }

    internal CliRun Train { get; }

    public string File(string name) => _folder.File(name);

    public void Dispose() => _folder.Dispose();
}

[CollectionDefinition(Name)]
public sealed class ImageFolderCollection : ICollectionFixture<ImageFolderModel>
{
    public const string Name = "Image folder model";
}
