using System.Globalization;
using Backprop.Tests;

namespace Backprop.Cli.Tests.Commands;

[Collection(TrainedMnistCollection.Name)]
public class PredictCommandTests(TrainedMnistModel trained)
{
    [Fact]
    public void Mnist_WritesOneRowPerTestImage_WithTheClassAndTenProbabilities()
    {
        var run = CliRun.InProcess("predict", "--model", trained.ModelPath);

        Assert.Equal(0, run.ExitCode);
        var lines = run.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => line.TrimEnd('\r')).ToArray();
        Assert.Equal("index,predicted,p_0,p_1,p_2,p_3,p_4,p_5,p_6,p_7,p_8,p_9", lines[0]);
        Assert.Equal(2001, lines.Length);
        foreach (var line in lines.Skip(1).Take(50))
        {
            var fields = line.Split(',');
            Assert.Equal(12, fields.Length);
            var probabilities = fields[2..].Select(f => double.Parse(f, CultureInfo.InvariantCulture)).ToArray();
            Assert.Equal(1.0, probabilities.Sum(), 4);
            Assert.Equal(Array.IndexOf(probabilities, probabilities.Max()), int.Parse(fields[1], CultureInfo.InvariantCulture));
        }
    }

    [Fact]
    public void Csv_NamesTheClasses_WithOrWithoutTheLabelColumn_AndOutWritesAFile()
    {
        using var folder = new TempFolder();
        string iris = RepoPaths.Data("iris", "iris.csv");
        Assert.Equal(0, CliRun.InProcess("train", "--data", iris, "--epochs", "30", "--quiet", "--out", folder.File("iris.safetensors"), "--no-plot").ExitCode);
        var features = File.ReadLines(iris).Take(4).Select(line => string.Join(',', line.Split(',')[..4]));
        string unlabelled = folder.Write("new.csv", string.Join('\n', features) + "\n");

        var run = CliRun.InProcess("predict", "--model", folder.File("iris.safetensors"), "--data", unlabelled, "--out", folder.File("out.csv"));

        Assert.Equal(0, run.ExitCode);
        Assert.Empty(run.Output);
        var lines = File.ReadAllLines(folder.File("out.csv"));
        Assert.Equal("index,predicted,p_setosa,p_versicolor,p_virginica", lines[0]);
        Assert.Equal(4, lines.Length);
        // The first rows of iris.csv are setosa, the class a trained network never misses.
        Assert.All(lines.Skip(1), line => Assert.Equal("setosa", line.Split(',')[1]));

        var labelled = CliRun.InProcess("predict", "--model", folder.File("iris.safetensors"), "--data", iris);
        Assert.Equal(151, labelled.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        var evaluation = CliRun.InProcess("evaluate", "--model", folder.File("iris.safetensors"), "--data", iris);
        Assert.Equal(0, evaluation.ExitCode);
        Assert.Contains("versicolor", evaluation.Output);
    }
}
