using SkiaSharp;

namespace Backprop.Cli.Tests;

/// <summary>Checks that a PNG file is a real picture: it decodes, has the expected size and is not blank.</summary>
internal static class Png
{
    public static void AssertIsAPlot(string path, int width, int height)
    {
        using var bitmap = SKBitmap.Decode(path);
        Assert.NotNull(bitmap);
        Assert.Equal(width, bitmap.Width);
        Assert.Equal(height, bitmap.Height);
        // Axes, text, curves and legends give hundreds of distinct colours (antialiasing); a blank canvas gives one.
        var colours = new HashSet<SKColor>();
        for (int y = 0; y < bitmap.Height; y += 2)
            for (int x = 0; x < bitmap.Width; x += 2) colours.Add(bitmap.GetPixel(x, y));
        Assert.True(colours.Count > 50, $"{path} has only {colours.Count} distinct colours");
    }
}
