using Backprop.Data;
using Backprop.Tests;
using SkiaSharp;

namespace Backprop.Images.Tests;

/// <summary>What the decoder makes of files: formats, sizes, aspect, orientation, alpha, 16-bit, and files that are not images.</summary>
public sealed class DecodingTests
{
    [Fact]
    public void AWideImage_IsCentreCroppedToTheTargetAspect_ThenResized()
    {
        using var temp = new TempFolder();
        // 40×20: columns 0–9 black, 10–29 grey 200, 30–39 grey 100. The centred 20×20 is columns 10–29: all 200.
        string path = temp.Write("wide.png", Png(40, 20, (x, _) => x < 10 ? (byte)0 : x < 30 ? (byte)200 : (byte)100));

        float[] pixels = new ImageTransform(10, 10, ColorMode.Gray).Load(path);

        Assert.All(pixels, v => Assert.Equal(200f, v));
    }

    [Fact]
    public void TransparentPixels_AreCompositedOntoWhite()
    {
        using var temp = new TempFolder();
        using var bitmap = new SKBitmap(new SKImageInfo(2, 1, SKColorType.Rgba8888, SKAlphaType.Unpremul));
        bitmap.SetPixel(0, 0, new SKColor(0, 0, 0, 0));       // fully transparent black
        bitmap.SetPixel(1, 0, new SKColor(0, 0, 0, 255));     // opaque black
        string path = temp.Write("alpha.png", Encode(bitmap, SKEncodedImageFormat.Png));

        float[] pixels = new ImageTransform(2, 1, ColorMode.Rgb).Load(path);

        Assert.Equal([255f, 0f, 255f, 0f, 255f, 0f], pixels);   // [channel, row, column]
    }

    [Fact]
    public void SixteenBitGrey_IsReadAsItsHighByte()
    {
        using var temp = new TempFolder();
        // Two 16-bit samples per row: 0xABCD and 0x1234, big-endian as PNG stores them.
        byte[] samples = [0xAB, 0xCD, 0x12, 0x34];
        string path = temp.Write("deep.png", HandmadePng.Make(2, 1, bitDepth: 16, colorType: 0, rows: 1, rowBytes: 4, (_, i) => samples[i]));

        float[] pixels = new ImageTransform(2, 1, ColorMode.Gray).Load(path);

        // 0xABCD / 65535 × 255 = 171.0 and 0x1234 / 65535 × 255 = 18.1: within one level of the high bytes 171 and 18.
        Assert.InRange(pixels[0], 170f, 172f);
        Assert.InRange(pixels[1], 17f, 19f);
    }

    [Fact]
    public void ExifOrientation6_IsApplied_SoTheImageIsReadAsDisplayed()
    {
        using var temp = new TempFolder();
        // Stored 40 wide × 20 tall, left half black, right half white; orientation 6 displays it turned a quarter clockwise:
        // 20 wide × 40 tall, the stored right half at the bottom.
        byte[] jpeg = Encode(Bitmap(40, 20, (x, _) => x < 20 ? (byte)0 : (byte)255), SKEncodedImageFormat.Jpeg);
        string path = temp.Write("turned.jpg", WithExifOrientation(jpeg, 6));

        float[] pixels = new ImageTransform(20, 40, ColorMode.Gray).Load(path);

        Assert.InRange(pixels[5 * 20 + 10], 0f, 8f);            // row 5 of 40: top, black
        Assert.InRange(pixels[34 * 20 + 10], 247f, 255f);       // row 34: bottom, white
    }

    [Theory]
    [InlineData(SKEncodedImageFormat.Png, "png")]
    [InlineData(SKEncodedImageFormat.Webp, "WEBP")]
    [InlineData(SKEncodedImageFormat.Jpeg, "JPeG")]
    public void Formats_DecodeToTheirPixels_WhateverTheExtensionsCase(SKEncodedImageFormat format, string extension)
    {
        using var temp = new TempFolder();
        var digit = MnistPictures.Train.Images.Image(0).ToArray();
        string path = temp.Write($"digit.{extension}", MnistPictures.Encode(digit, 28, 28, format, tint: null, size: 28));
        Assert.True(ImageDecoder.IsImageFile(path));

        float[] pixels = new ImageTransform(28, 28, ColorMode.Gray).Load(path);

        // PNG gives the bytes back; WebP and JPEG at quality 95 are lossy, within a level and a few levels on average.
        double meanError = pixels.Zip(digit, (a, b) => Math.Abs(a - b)).Average();
        Assert.True(meanError < format switch { SKEncodedImageFormat.Png => 0.001, SKEncodedImageFormat.Webp => 1, _ => 4 }, $"mean error {meanError}");
    }

    [Fact]
    public void Bmp_WrittenByHand_Decodes()
    {
        using var temp = new TempFolder();
        string path = temp.Write("two.bmp", Bmp24(2, 1, [(10, 20, 30), (200, 100, 50)]));

        float[] pixels = new ImageTransform(2, 1, ColorMode.Rgb).Load(path);

        Assert.Equal([10f, 200f, 20f, 100f, 30f, 50f], pixels);
    }

    [Theory]
    [InlineData("text", "not an image this decoder reads")]
    [InlineData("empty", "empty file (0 bytes)")]
    [InlineData("bomb", "declares 30000×30000 pixels")]
    [InlineData("truncated", "truncated or corrupt image data")]
    public void BadFiles_AreADataFormatExceptionNamingTheFile(string kind, string problem)
    {
        using var temp = new TempFolder();
        byte[] good = MnistPictures.Encode(MnistPictures.Train.Images.Image(0), 28, 28, SKEncodedImageFormat.Png, null, 28);
        string path = temp.Write("bad.png", kind switch
        {
            "text" => "hello"u8.ToArray(),
            "empty" => [],
            "bomb" => HandmadePng.Bomb(),
            _ => good[..(good.Length / 2)],
        });
        long before = GC.GetAllocatedBytesForCurrentThread();

        var error = Assert.Throws<DataFormatException>(() => new ImageTransform(28, 28, ColorMode.Gray).Load(path));

        Assert.Equal(path, error.FileName);
        Assert.Contains(problem, error.Message);
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 4 << 20, "a bad file made the decoder allocate");
    }

    [Fact]
    public void ADeviceOrAPipe_IsRefusedAsNotARegularFile_WithoutOpeningIt()
    {
        if (!OperatingSystem.IsLinux()) return;
        var error = Assert.Throws<DataFormatException>(() => new ImageTransform(28, 28, ColorMode.Gray).Load("/dev/zero"));
        Assert.Contains("not a regular file", error.Message);

        using var temp = new TempFolder();
        string fifo = temp.File("drawing.png");
        using (var mkfifo = System.Diagnostics.Process.Start("mkfifo", fifo)) mkfifo.WaitForExit();
        // Opening a pipe with no writer would block for ever: the decoder must not open it.
        error = Assert.Throws<DataFormatException>(() => new ImageTransform(28, 28, ColorMode.Gray).Load(fifo));
        Assert.Contains("not a regular file (a pipe or device)", error.Message);
    }

    private static byte[] Png(int width, int height, Func<int, int, byte> grey)
    {
        using var bitmap = Bitmap(width, height, grey);
        return Encode(bitmap, SKEncodedImageFormat.Png);
    }

    private static SKBitmap Bitmap(int width, int height, Func<int, int, byte> grey)
    {
        var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Gray8, SKAlphaType.Opaque));
        var pixels = bitmap.GetPixelSpan();
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++) pixels[y * bitmap.RowBytes + x] = grey(x, y);
        return bitmap;
    }

    private static byte[] Encode(SKBitmap bitmap, SKEncodedImageFormat format)
    {
        using var data = bitmap.Encode(format, 100);
        return data.ToArray();
    }

    /// <summary>The JPEG with an APP1 Exif segment holding one tag, Orientation (0x0112), inserted after its SOI marker.</summary>
    private static byte[] WithExifOrientation(byte[] jpeg, ushort orientation)
    {
        byte[] tiff = [(byte)'M', (byte)'M', 0, 42, 0, 0, 0, 8, 0, 1, 0x01, 0x12, 0, 3, 0, 0, 0, 1, (byte)(orientation >> 8), (byte)orientation, 0, 0, 0, 0, 0, 0];
        byte[] payload = [.. "Exif\0\0"u8.ToArray(), .. tiff];
        int length = payload.Length + 2;
        return [.. jpeg[..2], 0xFF, 0xE1, (byte)(length >> 8), (byte)length, .. payload, .. jpeg[2..]];
    }

    /// <summary>A 24-bit BMP: 14-byte file header, 40-byte info header, rows bottom-up in BGR padded to 4 bytes.</summary>
    private static byte[] Bmp24(int width, int height, (byte R, byte G, byte B)[] pixels)
    {
        int stride = (3 * width + 3) / 4 * 4;
        var file = new byte[54 + stride * height];
        "BM"u8.CopyTo(file);
        BitConverter.TryWriteBytes(file.AsSpan(2), file.Length);
        BitConverter.TryWriteBytes(file.AsSpan(10), 54);
        BitConverter.TryWriteBytes(file.AsSpan(14), 40);
        BitConverter.TryWriteBytes(file.AsSpan(18), width);
        BitConverter.TryWriteBytes(file.AsSpan(22), height);
        BitConverter.TryWriteBytes(file.AsSpan(26), (short)1);
        BitConverter.TryWriteBytes(file.AsSpan(28), (short)24);
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                var (r, g, b) = pixels[(height - 1 - y) * width + x];
                int at = 54 + y * stride + 3 * x;
                (file[at], file[at + 1], file[at + 2]) = (b, g, r);
            }
        }
        return file;
    }
}
