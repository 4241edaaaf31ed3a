using System.Globalization;
using System.Text;
using System.Text.Json;
using Backprop.Cli.Training;
using Backprop.Data;
using Backprop.Tests;

namespace Backprop.Cli.Tests.Training;

/// <summary>
/// A regression's predicted-against-actual points come from the pass that measures the model: the first labelled rows,
/// in order, in the target's units, as <c>predict</c> gives them, and the rows are read once.
/// </summary>
public class PredictedPointsTests
{
    /// <summary>y = 2a − 3b + 10 + noise; the label of every row whose index ends in 7 is empty.</summary>
    private static (string Path, double?[] Labels) Table(TempFolder folder, string name, int rows)
    {
        var random = new Random(11);
        var text = new StringBuilder("a,b,y\n");
        var labels = new double?[rows];
        for (int row = 0; row < rows; row++)
        {
            double a = Math.Round(random.NextDouble() * 4, 4), b = Math.Round(random.NextDouble() * 2, 4);
            labels[row] = row % 10 == 7 ? null : Math.Round(2 * a - 3 * b + 10 + 0.5 * (random.NextDouble() - 0.5), 4);
            text.Append(CultureInfo.InvariantCulture, $"{a:F4},{b:F4},{labels[row]:F4}\n");
        }
        return (folder.Write(name, text.ToString()), labels);
    }

    [Fact]
    public void Points_AreTheFirstLabelledRows_AsPredictGivesThem_FromOnePass()
    {
        using var folder = new TempFolder();
        var (data, labels) = Table(folder, "rows.csv", 300);
        string model = folder.File("m.safetensors");
        Assert.Equal(0, CliRun.InProcess("train", "--data", data, "--epochs", "5", "--out", model, "--no-plot", "--quiet").ExitCode);
        // The reference: predict's own pass over every row (index = the row's place in the file), printed to 7 digits.
        var predict = CliRun.InProcess("predict", "--model", model, "--data", data);
        Assert.Equal(0, predict.ExitCode);
        double[] predicted = [.. predict.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(line => double.Parse(line.Split(',')[1], CultureInfo.InvariantCulture))];
        var expected = Enumerable.Range(0, labels.Length).Where(row => labels[row] is not null).Take(100)
            .Select(row => (Actual: labels[row]!.Value, Predicted: predicted[row])).ToList();

        var (network, info) = ModelStore.Load(model);
        var table = info.Preprocessor!;
        var source = new CountingSource(TableSource.Open(data, table, labelled: true));
        var points = new PredictedPoints(table, most: 100);
        RegressionMetrics.Of(network, source, table, points.Add);

        Assert.Equal(expected.Count, points.Points.Count);
        for (int i = 0; i < expected.Count; i++)
        {
            // The label went through float32 standardisation and back; predict printed 7 significant digits.
            Assert.Equal(expected[i].Actual, points.Points[i].Actual, 1e-4);
            Assert.Equal(expected[i].Predicted, points.Points[i].Predicted, 1e-5 * Math.Max(1, Math.Abs(expected[i].Predicted)));
        }
        Assert.Equal(1, source.Passes);
    }

    [Fact]
    public void EvaluateWithAPlot_ReportsTheDroppedRowsOfTheWholeFile()
    {
        using var folder = new TempFolder();
        string model = folder.File("m.safetensors");
        Assert.Equal(0, CliRun.InProcess("train", "--data", Table(folder, "small.csv", 200).Path, "--epochs", "2", "--out", model, "--no-plot", "--quiet").ExitCode);
        // More rows than the plot keeps (5,000): a second pass for the points stopped early and counted only its own.
        string data = Table(folder, "large.csv", 6000).Path;

        var run = CliRun.InProcess("evaluate", "--model", model, "--data", data, "--json", "--plot", folder.File("e.png"));

        Assert.Equal(0, run.ExitCode);
        var report = JsonDocument.Parse(run.Output).RootElement;
        // Rows 7, 17, …, 5997: one in ten of 6,000.
        Assert.Equal(600, report.GetProperty("dropped_rows").GetInt64());
        Assert.Equal(5400, report.GetProperty("examples").GetInt32());
        Assert.True(new FileInfo(folder.File("e.png")).Length > 0);
    }
}
