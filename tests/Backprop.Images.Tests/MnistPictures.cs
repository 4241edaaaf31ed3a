using Backprop.Data;
using SkiaSharp;

namespace Backprop.Images.Tests;

/// <summary>
/// Real image files made from the MNIST subset built into the library: each digit encoded by SkiaSharp as PNG or JPEG,
/// grey or tinted RGB, at its own size or scaled, in root/&lt;digit&gt;/ folders.
/// </summary>
internal static class MnistPictures
{
    private static readonly Lazy<MnistData> Mnist = new(Datasets.Mnist10k);

    public static MnistSet Train => Mnist.Value.Train;

    public static MnistSet Test => Mnist.Value.Test;

    /// <summary>A tint per digit: ink of that colour on black, so colour carries no class information beyond the shape's.</summary>
    public static SKColor Tint(int index) => new((byte)(128 + 127 * (index % 2)), (byte)(255 - 60 * (index % 3)), (byte)(100 + 50 * (index % 4)));

    /// <summary>Writes <paramref name="perClass"/> images of each of <paramref name="classes"/> digits from <paramref name="set"/> into folder/&lt;digit&gt;/.</summary>
    public static void WriteFolder(string folder, MnistSet set, int perClass, int classes = 10, SKEncodedImageFormat format = SKEncodedImageFormat.Png,
        bool rgb = false, int size = 28)
    {
        var written = new int[classes];
        for (int i = 0; i < set.Count && written.Any(n => n < perClass); i++)
        {
            int label = set.Labels[i];
            if (label >= classes || written[label] >= perClass) continue;
            string classFolder = Directory.CreateDirectory(Path.Combine(folder, label.ToString(System.Globalization.CultureInfo.InvariantCulture))).FullName;
            string extension = format == SKEncodedImageFormat.Jpeg ? "jpg" : "png";
            File.WriteAllBytes(Path.Combine(classFolder, $"{written[label]:D5}.{extension}"), Encode(set.Images.Image(i), set.Images.Rows, set.Images.Columns, format, rgb ? Tint(i) : null, size));
            written[label]++;
        }
    }

    /// <summary>One grey image as an encoded file: grey (Gray8) or ink of <paramref name="tint"/> (RGBA), resized to size × size when it differs.</summary>
    public static byte[] Encode(ReadOnlySpan<byte> pixels, int rows, int columns, SKEncodedImageFormat format, SKColor? tint, int size)
    {
        using var bitmap = Bitmap(pixels, rows, columns, tint);
        using var sized = size == columns && size == rows ? bitmap.Copy() : bitmap.Resize(new SKImageInfo(size, size, bitmap.ColorType, bitmap.AlphaType), new SKSamplingOptions(SKFilterMode.Linear));
        using var data = sized.Encode(format, 95);
        return data.ToArray();
    }

    public static SKBitmap Bitmap(ReadOnlySpan<byte> pixels, int rows, int columns, SKColor? tint)
    {
        if (tint is not { } colour)
        {
            var grey = new SKBitmap(new SKImageInfo(columns, rows, SKColorType.Gray8, SKAlphaType.Opaque));
            pixels.CopyTo(grey.GetPixelSpan());
            return grey;
        }
        var bitmap = new SKBitmap(new SKImageInfo(columns, rows, SKColorType.Rgba8888, SKAlphaType.Opaque));
        var target = bitmap.GetPixelSpan();
        for (int i = 0; i < rows * columns; i++)
        {
            target[4 * i] = (byte)(pixels[i] * colour.Red / 255);
            target[4 * i + 1] = (byte)(pixels[i] * colour.Green / 255);
            target[4 * i + 2] = (byte)(pixels[i] * colour.Blue / 255);
            target[4 * i + 3] = 255;
        }
        return bitmap;
    }
}
