using Backprop.IO;
using ScottPlot;
using SkiaSharp;

namespace Backprop.Cli.Plotting;

/// <summary>Renders a ScottPlot figure headless (Skia, no display) and writes it as a PNG, atomically.</summary>
internal static class PngFile
{
    public static void Save(Action<SKCanvas, PixelRect> render, string path, int width, int height)
    {
        using var surface = SKSurface.Create(new SKImageInfo(width, height));
        surface.Canvas.Clear(SKColors.White);
        render(surface.Canvas, new PixelRect(0, width, height, 0));
        using var image = surface.Snapshot();
        using var png = image.Encode(SKEncodedImageFormat.Png, 100);

        // Atomically and through symbolic links, as model files: an interrupted run never leaves a half-written picture.
        AtomicFile.Write(path, png.SaveTo);
    }
}
