using System.Buffers.Binary;
using System.Security.Cryptography;
using Backprop.Images.Tests;
using Backprop.Tests;
using SkiaSharp;

namespace Backprop.Cli.Tests.Commands;

/// <summary>Bad image folders and IDX sets: one line naming the file and the problem, exit 1, no input touched.</summary>
public class ImageInputErrorTests
{
    public static TheoryData<string, string> BadFiles => new()
    {
        { "bomb", "declares 30000×30000 pixels" },
        { "truncated", "truncated or corrupt image data" },
        { "text", "not an image this decoder reads" },
        { "empty", "empty file (0 bytes)" },
    };

    [Theory]
    [MemberData(nameof(BadFiles))]
    public void Train_OnAFolderWithABadFile_SaysWhichFileAndWhy_AndChangesNothing(string kind, string problem)
    {
        using var temp = new TempFolder();
        string bad = WriteFolderWith(temp.Path, kind);
        var before = Checksums(temp.Path);

        var run = CliRun.InProcess("train", "--data", temp.Path, "--arch", "cnn", "--epochs", "1", "--no-plot", "--out", temp.File("m.safetensors"));

        Assert.Equal(1, run.ExitCode);
        Assert.Single(run.ErrorLines);
        Assert.StartsWith($"error: {bad}: ", run.ErrorLines[0]);
        Assert.Contains(problem, run.ErrorLines[0]);
        Assert.Equal(before, Checksums(temp.Path));
        Assert.False(File.Exists(temp.File("m.safetensors")));
    }

    [Theory]
    [MemberData(nameof(BadFiles))]
    public void Train_WithSkipBadImages_WarnsWithTheFileAndTrainsOnTheRest(string kind, string problem)
    {
        using var temp = new TempFolder();
        string bad = WriteFolderWith(temp.Path, kind);

        var run = CliRun.InProcess("train", "--data", temp.Path, "--arch", "cnn", "--epochs", "1", "--no-plot", "--quiet", "--skip-bad-images", "--out", temp.File("m.safetensors"));

        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Contains(run.ErrorLines, line => line.StartsWith($"warning: skipped {bad}: ", StringComparison.Ordinal) && line.Contains(problem, StringComparison.Ordinal));
        Assert.True(File.Exists(temp.File("m.safetensors")));
    }

    [Fact]
    public void Train_OnAFolderWithAnEmptyClassOrOneClass_SaysSo()
    {
        using var temp = new TempFolder();
        WriteFolderWith(temp.Path, "none");
        Directory.CreateDirectory(temp.File("zebra"));
        var empty = CliRun.InProcess("train", "--data", temp.Path, "--no-plot", "--out", temp.File("m.safetensors"));
        Assert.Equal(1, empty.ExitCode);
        Assert.Equal($"error: {temp.File("zebra")}: class folder has no image files (.png, .jpg, .jpeg, .bmp, .gif, .webp)", empty.ErrorLines.Single());

        Directory.Delete(temp.File("zebra"));
        Directory.Delete(temp.File("1"), recursive: true);
        var single = CliRun.InProcess("train", "--data", temp.Path, "--no-plot", "--out", temp.File("m.safetensors"));
        Assert.Equal(1, single.ExitCode);
        Assert.Equal($"error: {temp.Path}: one class folder ('0'); classification needs at least 2", single.ErrorLines.Single());
    }

    [Fact]
    public void Train_Cnn_OnImagesTooSmallForItsBlocks_SaysSoBeforeTraining()
    {
        using var temp = new TempFolder();
        WriteFolderWith(temp.Path, "none");

        var run = CliRun.InProcess("train", "--data", temp.Path, "--arch", "cnn", "--channels", "4,4,4", "--image-size", "6", "--no-plot", "--out", temp.File("m.safetensors"));

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("images of 6×6 pixels are too small for 3 convolution blocks", run.ErrorLines.Single());
    }

    [Theory]
    [InlineData("--augment", "flip,zoom", "--augment: 'zoom' is not one of flip, crop, shift.")]
    [InlineData("--image-size", "0x5", "--image-size: image size '0x5' must be N or WxH with whole numbers from 1 to 4096, e.g. 32 or 32x48.")]
    [InlineData("--color-mode", "cmyk", "--color-mode")]
    public void ImageOptions_WithBadValues_AreUsageErrors(string option, string value, string message)
    {
        var run = CliRun.InProcess("train", option, value);
        Assert.Equal(2, run.ExitCode);
        Assert.Contains(message, run.ErrorLines[0]);
    }

    [Fact]
    public void Train_WithAnImageSizeAboveTheInputLimit_IsRefusedBeforeDecoding()
    {
        using var temp = new TempFolder();
        WriteFolderWith(temp.Path, "none");

        var run = CliRun.InProcess("train", "--data", temp.Path, "--image-size", "300", "--color-mode", "rgb", "--no-plot", "--out", temp.File("m.safetensors"));

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("make examples of 3×300×300 = 270,000 values, more than the 196,608 allowed", run.ErrorLines.Single());
    }

    [Fact]
    public void Evaluate_OnAFolderWithABadImage_NamesIt_OrSkipsItWithAWarning()
    {
        using var temp = new TempFolder();
        WriteFolderWith(temp.File("train"), "none");
        string bad = WriteFolderWith(temp.File("test"), "truncated");
        var train = CliRun.InProcess("train", "--data", temp.Path, "--epochs", "1", "--no-plot", "--quiet", "--out", temp.File("m.safetensors"));
        Assert.True(train.ExitCode == 1 && train.ErrorLines.Single().Contains(bad, StringComparison.Ordinal), "the test part is checked when training too");
        train = CliRun.InProcess("train", "--data", temp.Path, "--epochs", "1", "--no-plot", "--quiet", "--skip-bad-images", "--out", temp.File("m.safetensors"));
        Assert.True(train.ExitCode == 0, train.Error);

        var strict = CliRun.InProcess("evaluate", "--model", temp.File("m.safetensors"), "--data", temp.Path);
        Assert.Equal(1, strict.ExitCode);
        Assert.StartsWith($"error: {bad}: truncated or corrupt image data", strict.ErrorLines.Single());

        var lenient = CliRun.InProcess("evaluate", "--model", temp.File("m.safetensors"), "--data", temp.Path, "--skip-bad-images", "--json");
        Assert.True(lenient.ExitCode == 0, lenient.Error);
        Assert.Contains(lenient.ErrorLines, line => line.StartsWith($"warning: skipped {bad}: ", StringComparison.Ordinal));
        Assert.Contains("\"examples\":12", lenient.Output.Replace(" ", "", StringComparison.Ordinal));
    }

    [Fact]
    public void Train_Cnn_OnIdxImagesOf32By32AndOfThreeChannels_SizesTheHeadFromTheData()
    {
        using var temp = new TempFolder();
        WriteIdxSet(temp.Path, channels: 1, rows: 32, columns: 32);
        var grey = CliRun.InProcess("train", "--data", temp.Path, "--arch", "cnn", "--epochs", "1", "--no-plot", "--quiet", "--out", temp.File("grey.safetensors"));
        Assert.True(grey.ExitCode == 0, grey.Error);
        Assert.Equal([1, 32, 32], IO.ModelDescription.Read(temp.File("grey.safetensors"))!.InputShape);

        using var colour = new TempFolder();
        WriteIdxSet(colour.Path, channels: 3, rows: 12, columns: 16);
        var rgb = CliRun.InProcess("train", "--data", colour.Path, "--arch", "cnn", "--epochs", "1", "--no-plot", "--quiet", "--out", colour.File("rgb.safetensors"));
        Assert.True(rgb.ExitCode == 0, rgb.Error);
        Assert.Equal([3, 12, 16], IO.ModelDescription.Read(colour.File("rgb.safetensors"))!.InputShape);
    }

    [Fact]
    public void Train_OnIdxImagesOf1024By1024_IsRefusedBeforeAModelIsBuilt()
    {
        using var temp = new TempFolder();
        WriteIdxSet(temp.Path, channels: 1, rows: 1024, columns: 1024, count: 2);

        var run = CliRun.InProcess("train", "--data", temp.Path, "--no-plot", "--out", temp.File("m.safetensors"));

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("one example is 1048576 = 1,048,576 values, more than the 196,608 (3×256×256)", run.ErrorLines.Single());
    }

    private static string WriteFolderWith(string root, string kind)
    {
        MnistPictures.WriteFolder(root, MnistPictures.Train, perClass: 6, classes: 2);
        string bad = Path.Combine(root, "1", "bad.png");
        byte[] good = File.ReadAllBytes(Path.Combine(root, "1", "00000.png"));
        switch (kind)
        {
            case "bomb": File.WriteAllBytes(bad, HandmadePng.Bomb()); break;
            case "truncated": File.WriteAllBytes(bad, good[..(good.Length / 2)]); break;
            case "text": File.WriteAllText(bad, "just some notes\n"); break;
            case "empty": File.WriteAllBytes(bad, []); break;
            default: return "";
        }
        return bad;
    }

    /// <summary>An MNIST-named IDX set of random pixels with labels 0 and 1, images count × channels × rows × columns.</summary>
    private static void WriteIdxSet(string folder, int channels, int rows, int columns, int count = 40)
    {
        var random = new Random(1);
        foreach (var (images, labels) in new[] { ("train-images", "train-labels"), ("t10k-images", "t10k-labels") })
        {
            uint[] dims = channels == 1 ? [(uint)count, (uint)rows, (uint)columns] : [(uint)count, (uint)channels, (uint)rows, (uint)columns];
            var pixels = new byte[count * channels * rows * columns];
            random.NextBytes(pixels);
            File.WriteAllBytes(Path.Combine(folder, $"{images}-idx{dims.Length}-ubyte"), [.. Header(0x800u + (uint)dims.Length, dims), .. pixels]);
            File.WriteAllBytes(Path.Combine(folder, $"{labels}-idx1-ubyte"), [.. Header(0x801, [(uint)count]), .. Enumerable.Range(0, count).Select(i => (byte)(i % 2))]);
        }
    }

    private static byte[] Header(uint magic, uint[] dims)
    {
        var bytes = new byte[4 + 4 * dims.Length];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, magic);
        for (int i = 0; i < dims.Length; i++) BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(4 + 4 * i), dims[i]);
        return bytes;
    }

    private static Dictionary<string, string> Checksums(string root) =>
        Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories).ToDictionary(f => f, f => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(f))));
}
