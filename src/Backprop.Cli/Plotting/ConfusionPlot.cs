using System.Globalization;
using Backprop.Cli.Rendering;
using Backprop.Training;
using ScottPlot;

namespace Backprop.Cli.Plotting;

/// <summary>Draws a confusion matrix as a heat map: actual class down, predicted class across, each cell's count written on it.</summary>
internal static class ConfusionPlot
{
    /// <summary>Refuses, before any work, a model with more classes than a readable heat map holds.</summary>
    /// <exception cref="InvalidOperationException">More than <see cref="EvaluationReport.MaxTableClasses"/> classes.</exception>
    public static void RequireDrawable(int classes)
    {
        if (classes > EvaluationReport.MaxTableClasses)
            throw new InvalidOperationException($"--plot draws the confusion matrix of at most {EvaluationReport.MaxTableClasses} classes; this model has {classes} (--json lists its confusions).");
    }

    public static void Save(ConfusionMatrix confusion, IReadOnlyList<string> classNames, string path, int size = 800)
    {
        int n = confusion.ClassCount;
        // Row 0 of a heat map is drawn at the top, so actual class 0 is the top row, as confusion matrices are printed.
        var counts = new double[n, n];
        for (int actual = 0; actual < n; actual++)
            for (int predicted = 0; predicted < n; predicted++) counts[actual, predicted] = confusion[actual, predicted];

        var plot = new Plot();
        var heatmap = plot.Add.Heatmap(counts);
        heatmap.Colormap = new ScottPlot.Colormaps.Viridis();
        heatmap.Rectangle = new CoordinateRect(-0.5, n - 0.5, -0.5, n - 0.5);
        plot.Add.ColorBar(heatmap);
        double largest = Math.Max(1, counts.Cast<double>().Max());
        for (int actual = 0; actual < n; actual++)
            for (int predicted = 0; predicted < n; predicted++)
            {
                var label = plot.Add.Text(confusion[actual, predicted].ToString(CultureInfo.InvariantCulture), predicted, n - 1 - actual);
                label.Alignment = Alignment.MiddleCenter;
                label.LabelFontColor = counts[actual, predicted] > largest / 2 ? Colors.Black : Colors.White;
            }
        var positions = Enumerable.Range(0, n).Select(i => (double)i).ToArray();
        plot.Axes.Bottom.SetTicks(positions, [.. classNames]);
        plot.Axes.Left.SetTicks(positions, [.. classNames.Reverse()]);
        plot.Axes.SetLimits(-0.5, n - 0.5, -0.5, n - 0.5);
        plot.Title("Confusion matrix");
        plot.XLabel("predicted class");
        plot.YLabel("actual class");
        PngFile.Save(plot.Render, path, size + 100, size);
    }
}
