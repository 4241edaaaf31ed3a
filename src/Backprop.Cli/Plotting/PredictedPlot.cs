using ScottPlot;

namespace Backprop.Cli.Plotting;

/// <summary>A regression model's predictions against the actual values, with the line y = x where perfect predictions lie.</summary>
internal static class PredictedPlot
{
    /// <summary>Writes the scatter plot as a PNG (atomically).</summary>
    public static void Save(IReadOnlyList<(double Actual, double Predicted)> points, string path, int width = 700, int height = 600) =>
        PngFile.Save(Panel(points).Render, path, width, height);

    public static Plot Panel(IReadOnlyList<(double Actual, double Predicted)> points)
    {
        var plot = new Plot();
        double[] actual = [.. points.Select(point => point.Actual)], predicted = [.. points.Select(point => point.Predicted)];
        var scatter = plot.Add.ScatterPoints(actual, predicted);
        scatter.LegendText = "examples";
        if (points.Count > 0)
        {
            double low = Math.Min(actual.Min(), predicted.Min()), high = Math.Max(actual.Max(), predicted.Max());
            plot.Add.Line(low, low, high, high).LegendText = "predicted = actual";
        }
        plot.Title("Predicted against actual");
        plot.XLabel("actual");
        plot.YLabel("predicted");
        plot.ShowLegend();
        return plot;
    }
}
