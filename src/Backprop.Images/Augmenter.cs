namespace Backprop.Images;

/// <summary>Applies <see cref="ImageAugmentation"/> to one example, [channels, height, width], in place.</summary>
internal static class Augmenter
{
    private const int CropPadding = 4;

    public static void Apply(ImageAugmentation augmentation, Span<float> image, int channels, int height, int width, ref SplitMix64 random)
    {
        if (augmentation.HasFlag(ImageAugmentation.Flip) && random.Next(2) == 1)
        {
            for (int row = 0; row < channels * height; row++) image.Slice(row * width, width).Reverse();
        }
        if (augmentation.HasFlag(ImageAugmentation.Crop))
            Translate(image, channels, height, width, Within(ref random, CropPadding), Within(ref random, CropPadding), repeatEdges: false);
        if (augmentation.HasFlag(ImageAugmentation.Shift))
            Translate(image, channels, height, width, Within(ref random, Math.Max(1, width / 10)), Within(ref random, Math.Max(1, height / 10)), repeatEdges: true);
    }

    /// <summary>A uniform integer in [−most, most].</summary>
    private static int Within(ref SplitMix64 random, int most) => random.Next(2 * most + 1) - most;

    /// <summary>out[c, y, x] = in[c, y − dy, x − dx]; outside the image 0 (black) or the nearest edge pixel.</summary>
    private static void Translate(Span<float> image, int channels, int height, int width, int dx, int dy, bool repeatEdges)
    {
        if (dx == 0 && dy == 0) return;
        int plane = height * width;
        var source = image.ToArray();
        for (int c = 0; c < channels; c++)
        {
            for (int y = 0; y < height; y++)
            {
                for (int x = 0; x < width; x++)
                {
                    int sy = y - dy, sx = x - dx;
                    bool inside = sy >= 0 && sy < height && sx >= 0 && sx < width;
                    image[c * plane + y * width + x] = inside || repeatEdges
                        ? source[c * plane + Math.Clamp(sy, 0, height - 1) * width + Math.Clamp(sx, 0, width - 1)]
                        : 0;
                }
            }
        }
    }
}
