using ScottPlot;
using SkiaSharp;

namespace Backprop.Cli.Plotting;

/// <summary>Draws the loss and accuracy curves of a training run side by side, train and validation, as a PNG.</summary>
internal static class TrainingPlot
{
    /// <summary>Writes the PNG to <paramref name="path"/> (atomically: a temporary file renamed into place).</summary>
    public static void Save(History history, string path, int width = 1200, int height = 500)
    {
        var epochs = history.Epochs.Select(e => (double)e.Epoch).ToArray();
        var loss = Panel("Loss", "cross-entropy", epochs,
            ("train", history.Epochs.Select(e => e.Loss)),
            ("validation", history.Epochs.Select(e => e.ValidationLoss ?? double.NaN)));
        var accuracy = Panel("Accuracy", "fraction correct", epochs,
            ("train", history.Epochs.Select(e => e.Accuracy ?? double.NaN)),
            ("validation", history.Epochs.Select(e => e.ValidationAccuracy ?? double.NaN)));

        var figure = new Multiplot(loss);
        figure.AddPlot(accuracy);
        figure.Layout = new ScottPlot.MultiplotLayouts.Columns();
        using var surface = SKSurface.Create(new SKImageInfo(width, height));
        surface.Canvas.Clear(SKColors.White);
        figure.Render(surface.Canvas, new PixelRect(0, width, height, 0));
        using var image = surface.Snapshot();
        using var png = image.Encode(SKEncodedImageFormat.Png, 100);

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

    private static Plot Panel(string title, string yLabel, double[] epochs, params (string Name, IEnumerable<double> Values)[] series)
    {
        var plot = new Plot();
        foreach (var (name, values) in series)
        {
            var ys = values.ToArray();
            if (ys.All(double.IsNaN)) continue;
            plot.Add.Scatter(epochs, ys).LegendText = name;
        }
        plot.Title(title);
        plot.XLabel("epoch");
        plot.YLabel(yLabel);
        plot.ShowLegend();
        return plot;
    }
}
