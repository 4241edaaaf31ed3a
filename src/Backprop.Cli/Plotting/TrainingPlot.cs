using Backprop.Training;
using ScottPlot;

namespace Backprop.Cli.Plotting;

/// <summary>Draws the loss and accuracy curves of a training run side by side, train and validation, as a PNG.</summary>
internal static class TrainingPlot
{
    /// <summary>Writes the PNG to <paramref name="path"/> (atomically: a temporary file renamed into place); the loss axis is labelled <paramref name="lossName"/>.</summary>
    /// <param name="history">The epochs.</param>
    /// <param name="path">The PNG to write.</param>
    /// <param name="lossName">The loss axis label.</param>
    /// <param name="points">For regression, (actual, predicted) pairs drawn in place of the accuracy curves; null for classification.</param>
    /// <param name="width">Image width in pixels.</param>
    /// <param name="height">Image height in pixels.</param>
    public static void Save(History history, string path, string lossName = "cross-entropy", IReadOnlyList<(double Actual, double Predicted)>? points = null, int width = 1200, int height = 500)
    {
        var epochs = history.Epochs.Select(e => (double)e.Epoch).ToArray();
        // A regression network learns the standardised target, so its loss is in those units, not the target's.
        var loss = Panel("Loss", points is null ? lossName : $"{lossName} (standardised target)", Alignment.UpperRight, epochs,
            ("train", history.Epochs.Select(e => e.Loss)),
            ("validation", history.Epochs.Select(e => e.ValidationLoss ?? double.NaN)));
        var accuracy = points is not null ? PredictedPlot.Panel(points) : Panel("Accuracy", "fraction correct", Alignment.LowerRight, epochs,
            ("train", history.Epochs.Select(e => e.Accuracy ?? double.NaN)),
            ("validation", history.Epochs.Select(e => e.ValidationAccuracy ?? double.NaN)));

        var figure = new Multiplot(loss);
        figure.AddPlot(accuracy);
        figure.Layout = new ScottPlot.MultiplotLayouts.Columns();
        PngFile.Save(figure.Render, path, width, height);
    }

    // The legend goes where the curves are not: losses fall away from the upper right, accuracies rise away from the lower right.
    private static Plot Panel(string title, string yLabel, Alignment legend, double[] epochs, params (string Name, IEnumerable<double> Values)[] series)
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
        // Epochs are whole: a short run (the CNN's default is 2) otherwise gets ticks at 1.1, 1.2, …
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { IntegerTicksOnly = true };
        plot.YLabel(yLabel);
        plot.ShowLegend(legend);
        return plot;
    }
}
