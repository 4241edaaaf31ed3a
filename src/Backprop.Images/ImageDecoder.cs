using Backprop.Data;
using SkiaSharp;

namespace Backprop.Images;

/// <summary>
/// Decodes image files with SkiaSharp: PNG, JPEG, BMP, GIF (its first frame) and WebP, recognised by their content.
/// Every check that bounds memory happens on the header, before a pixel is decoded: a file declaring more than
/// <see cref="MaxPixels"/> pixels (a decompression bomb: a few kilobytes of PNG can declare 30000×30000) is refused,
/// and a JPEG much larger than the target is decoded at 1/2, 1/4 or 1/8 of its size.
/// </summary>
public static class ImageDecoder
{
    /// <summary>Most pixels (width × height) a file may declare: 8192 × 8192, a 64-megapixel photograph; decoding it takes 256 MB.</summary>
    public const long MaxPixels = 8192L * 8192;

    /// <summary>Largest width or height an image may be resized to.</summary>
    public const int MaxSide = 4096;

    /// <summary>The file extensions read as images, compared without regard to case.</summary>
    public static IReadOnlyList<string> Extensions { get; } = [".png", ".jpg", ".jpeg", ".bmp", ".gif", ".webp"];

    /// <summary>Whether <paramref name="path"/> has an image extension (any case) and is not hidden (its name does not start with a dot).</summary>
    public static bool IsImageFile(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        string name = Path.GetFileName(path);
        return !name.StartsWith('.') && Extensions.Contains(Path.GetExtension(name), StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>Reads only the header: the size as displayed (after EXIF orientation) and whether the file stores grey levels only.</summary>
    internal static ImageHeader ReadHeader(string path)
    {
        using var codec = Open(path);
        var (width, height) = OrientedSize(codec);
        return new ImageHeader(width, height, codec.Info.ColorType == SKColorType.Gray8);
    }

    /// <summary>
    /// Decodes <paramref name="path"/> as <paramref name="transform"/> says: oriented, alpha composited onto white,
    /// centre-cropped to the target aspect, resized; height × width grey bytes or height × width × 3 RGB bytes.
    /// </summary>
    /// <exception cref="DataFormatException">The file cannot be decoded; the message names it and the problem.</exception>
    internal static byte[] Decode(string path, ImageTransform transform)
    {
        using var codec = Open(path);
        var info = codec.Info;
        var (orientedWidth, orientedHeight) = OrientedSize(codec);
        // The crop in displayed coordinates, then how far a JPEG may be shrunk while decoding and still cover the target.
        var (cropWidth, cropHeight) = AspectCrop(orientedWidth, orientedHeight, transform.Width, transform.Height);
        double shrink = Math.Max((double)transform.Width / cropWidth, (double)transform.Height / cropHeight);
        var size = info.Size;
        if (shrink < 1)
        {
            var scaled = codec.GetScaledDimensions((float)shrink);
            if (scaled.Width >= Math.Ceiling(info.Width * shrink) && scaled.Height >= Math.Ceiling(info.Height * shrink) && scaled.Width > 0 && scaled.Height > 0)
                size = scaled;
        }

        var decodeInfo = new SKImageInfo(size.Width, size.Height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
        using var decoded = new SKBitmap(decodeInfo);
        var result = codec.GetPixels(decodeInfo, decoded.GetPixels());
        if (result != SKCodecResult.Success)
            throw Error(path, result == SKCodecResult.IncompleteInput ? "truncated or corrupt image data (the decoder ran out of data)" : $"corrupt image data (the decoder reports {result})");

        using var oriented = Orient(decoded, codec.EncodedOrigin);
        var (width, height) = AspectCrop(oriented.Width, oriented.Height, transform.Width, transform.Height);
        var crop = SKRectI.Create((oriented.Width - width) / 2, (oriented.Height - height) / 2, width, height);
        using var cropped = new SKBitmap();
        if (!oriented.ExtractSubset(cropped, crop)) throw Error(path, "cannot be cropped");
        using var resized = width == transform.Width && height == transform.Height
            ? cropped.Copy()
            : cropped.Resize(new SKImageInfo(transform.Width, transform.Height, SKColorType.Rgba8888, SKAlphaType.Opaque), new SKSamplingOptions(SKFilterMode.Linear, SKMipmapMode.Linear));
        if (resized is null) throw Error(path, "cannot be resized");
        return Channels(resized, transform.ColorMode);
    }

    private static SKCodec Open(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        RequireRegularFile(path);
        var codec = SKCodec.Create(path, out var result);
        if (codec is null)
            throw Error(path, result switch
            {
                SKCodecResult.IncompleteInput => "truncated image: the file ends inside its header",
                SKCodecResult.Unimplemented or SKCodecResult.InvalidInput => "not an image this decoder reads (PNG, JPEG, BMP, GIF, WebP) or a corrupt one",
                _ => $"not a readable image ({result})",
            });
        var info = codec.Info;
        if (info.Width < 1 || info.Height < 1 || (long)info.Width * info.Height > MaxPixels)
        {
            codec.Dispose();
            throw Error(path, $"declares {info.Width}×{info.Height} pixels, more than the {MaxPixels:N0} (8192×8192) this decoder allows");
        }
        return codec;
    }

    /// <summary>
    /// Pipes and devices are refused before anything opens them: opening a FIFO blocks until a writer comes, and
    /// /dev/zero never ends. Both report a length of 0, as an empty file does, so a 0-byte path is never opened.
    /// </summary>
    private static void RequireRegularFile(string path)
    {
        try
        {
            var file = new FileInfo(path);
            if (file.Exists && file.Length == 0) throw Error(path, "empty file (0 bytes) or not a regular file (a pipe or device)");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw Error(path, $"cannot be read ({e.Message.Split('\n')[0]})");
        }
        FileStream stream;
        try
        {
            stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1, FileOptions.None);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw Error(path, $"cannot be opened ({e.Message.Split('\n')[0]})");
        }
        using (stream)
        {
            if (!stream.CanSeek) throw Error(path, "not a regular file (a pipe or device); give an image file");
            if (stream.Length == 0)
                throw Error(path, stream.ReadByte() < 0 ? "empty file (0 bytes)" : "not a regular file (a device); give an image file");
        }
    }

    private static (int Width, int Height) OrientedSize(SKCodec codec) =>
        SwapsAxes(codec.EncodedOrigin) ? (codec.Info.Height, codec.Info.Width) : (codec.Info.Width, codec.Info.Height);

    private static bool SwapsAxes(SKEncodedOrigin origin) =>
        origin is SKEncodedOrigin.LeftTop or SKEncodedOrigin.RightTop or SKEncodedOrigin.RightBottom or SKEncodedOrigin.LeftBottom;

    /// <summary>The largest centred region of a width × height image with the target's aspect ratio.</summary>
    internal static (int Width, int Height) AspectCrop(int width, int height, int targetWidth, int targetHeight)
    {
        // Compare width/height with targetWidth/targetHeight without rounding: cross-multiplied in 64 bits.
        if ((long)width * targetHeight > (long)height * targetWidth)
            return ((int)Math.Max(1, Math.Round((double)height * targetWidth / targetHeight)), height);
        return (width, (int)Math.Max(1, Math.Round((double)width * targetHeight / targetWidth)));
    }

    /// <summary>The image as displayed: EXIF orientation applied, transparency composited onto white, opaque RGBA.</summary>
    private static SKBitmap Orient(SKBitmap decoded, SKEncodedOrigin origin)
    {
        int width = decoded.Width, height = decoded.Height;
        bool swaps = SwapsAxes(origin);
        int outWidth = swaps ? height : width, outHeight = swaps ? width : height;
        var result = new SKBitmap(new SKImageInfo(outWidth, outHeight, SKColorType.Rgba8888, SKAlphaType.Opaque));
        ReadOnlySpan<byte> source = decoded.GetPixelSpan();
        Span<byte> target = result.GetPixelSpan();
        int sourceStride = decoded.RowBytes, targetStride = result.RowBytes;
        for (int y = 0; y < outHeight; y++)
        {
            for (int x = 0; x < outWidth; x++)
            {
                var (sx, sy) = origin switch
                {
                    SKEncodedOrigin.TopRight => (width - 1 - x, y),
                    SKEncodedOrigin.BottomRight => (width - 1 - x, height - 1 - y),
                    SKEncodedOrigin.BottomLeft => (x, height - 1 - y),
                    SKEncodedOrigin.LeftTop => (y, x),
                    SKEncodedOrigin.RightTop => (y, height - 1 - x),
                    SKEncodedOrigin.RightBottom => (width - 1 - y, height - 1 - x),
                    SKEncodedOrigin.LeftBottom => (width - 1 - y, x),
                    _ => (x, y),
                };
                int from = sy * sourceStride + 4 * sx, to = y * targetStride + 4 * x;
                int alpha = source[from + 3];
                for (int c = 0; c < 3; c++) target[to + c] = (byte)((source[from + c] * alpha + 255 * (255 - alpha) + 127) / 255);
                target[to + 3] = 255;
            }
        }
        return result;
    }

    private static byte[] Channels(SKBitmap image, ColorMode mode)
    {
        int width = image.Width, height = image.Height, stride = image.RowBytes;
        ReadOnlySpan<byte> pixels = image.GetPixelSpan();
        var result = new byte[width * height * (mode == ColorMode.Gray ? 1 : 3)];
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                int from = y * stride + 4 * x, i = y * width + x;
                byte r = pixels[from], g = pixels[from + 1], b = pixels[from + 2];
                if (mode == ColorMode.Gray)
                {
                    result[i] = (byte)((299 * r + 587 * g + 114 * b + 500) / 1000);
                }
                else
                {
                    result[3 * i] = r;
                    result[3 * i + 1] = g;
                    result[3 * i + 2] = b;
                }
            }
        }
        return result;
    }

    internal static DataFormatException Error(string path, string problem) => new(path, problem);
}

/// <summary>What a file's header tells: its displayed size and whether it stores grey levels only.</summary>
internal readonly record struct ImageHeader(int Width, int Height, bool IsGray);
