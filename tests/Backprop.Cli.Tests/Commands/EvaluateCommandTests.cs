using System.Text.Json;
using Backprop.Tests;

namespace Backprop.Cli.Tests.Commands;

[Collection(TrainedMnistCollection.Name)]
public class EvaluateCommandTests(TrainedMnistModel trained)
{
    [Fact]
    public void Tables_ShowLossAccuracyPerClassMetricsAndTheConfusionMatrix_AndThePlotIsAHeatMap()
    {
        using var folder = new TempFolder();
        var run = CliRun.InProcess("evaluate", "--model", trained.ModelPath, "--plot", folder.File("confusion.png"));

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("on 2000 examples", run.Output);
        Assert.Contains("Accuracy: 0.9", run.Output);
        foreach (var header in new[] { "Precision", "Recall", "F1", "Support", "Confusion matrix", "actual / predicted" })
            Assert.Contains(header, run.Output);
        Assert.DoesNotContain('\u001b', run.Output);
        Png.AssertIsAPlot(folder.File("confusion.png"), 900, 800);
    }

    [Fact]
    public void Json_HasPerClassMetricsAndAMatrixSummingToTheExamples()
    {
        var run = CliRun.InProcess("evaluate", "--model", trained.ModelPath, "--json");

        Assert.Equal(0, run.ExitCode);
        var root = JsonDocument.Parse(run.Output).RootElement;
        var classes = root.GetProperty("classes").EnumerateArray().ToArray();
        Assert.Equal(10, classes.Length);
        // The subset's README: 211 test images of the digit 0.
        Assert.Equal(211, classes[0].GetProperty("support").GetInt32());
        var matrix = root.GetProperty("confusion_matrix").EnumerateArray().Select(row => row.EnumerateArray().Select(c => c.GetInt32()).ToArray()).ToArray();
        Assert.Equal(2000, matrix.Sum(row => row.Sum()));
        int correct = Enumerable.Range(0, 10).Sum(i => matrix[i][i]);
        Assert.Equal(correct / 2000.0, root.GetProperty("accuracy").GetDouble(), 12);
    }

    [Fact]
    public void MnistFolder_IsReadForItsTestSet()
    {
        var run = CliRun.InProcess("evaluate", "--model", trained.ModelPath, "--data", RepoPaths.Data("mnist10k"), "--json");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(2000, JsonDocument.Parse(run.Output).RootElement.GetProperty("examples").GetInt32());
    }
}
