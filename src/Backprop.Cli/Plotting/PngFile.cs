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

        // A temporary file renamed into place: an interrupted run never leaves a half-written picture.
        string full = Path.GetFullPath(path);
        string temporary = Path.Combine(Path.GetDirectoryName(full)!, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var file = File.Create(temporary)) png.SaveTo(file);
            File.Move(temporary, full, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }
}
