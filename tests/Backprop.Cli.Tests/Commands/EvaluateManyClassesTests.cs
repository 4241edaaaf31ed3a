using System.Globalization;
using System.Text;
using System.Text.Json;
using Backprop.Cli.Models;
using Backprop.NN;
using Backprop.Tests;

namespace Backprop.Cli.Tests.Commands;

/// <summary>
/// A model of 10,000 classes is evaluated in the memory of its examples: the table shows the largest confusions, the
/// JSON lists the confusion matrix as sparse [actual, predicted, count] entries, and --plot is refused up front.
/// </summary>
public sealed class EvaluateManyClassesTests : IDisposable
{
    private const int Classes = 10_000;
    private readonly TempFolder _folder = new();

    public EvaluateManyClassesTests()
    {
        // Zero weights and a bias of 1 for class 7 alone: every row is predicted as class 7. Row i is of class i, so the
        // matrix has one count in each cell (i, 7): 10,000 non-zero cells of 10⁸, one of them on the diagonal.
        var model = new Sequential(new Dense(1, Classes));
        var biases = new float[Classes];
        biases[7] = 1;
        ((Dense)model[0]).Weight.CopyFrom(Tensor.Zeros(DType.Float32, Classes, 1));
        ((Dense)model[0]).Bias!.CopyFrom(Tensor.FromArray(biases, Classes));
        string[] names = [.. Enumerable.Range(0, Classes).Select(c => $"c{c}")];
        ModelStore.Save(model, _folder.File("many.safetensors"), new ModelInfo(ModelInfo.Csv, names, ["x"], "label", "cross-entropy", [1]));
        var csv = new StringBuilder("x,label\n");
        for (int i = 0; i < Classes; i++) csv.Append(CultureInfo.InvariantCulture, $"{i},c{i}\n");
        _folder.Write("rows.csv", csv.ToString());
    }

    [Fact]
    public void Json_ListsTheMatrixSparsely()
    {
        using var run = ChildProcess.Run(_folder.Path, "evaluate", "--model", "many.safetensors", "--data", "rows.csv", "--json");

        Assert.Equal(0, run.ExitCode);
        using var document = JsonDocument.Parse(run.Output);
        var root = document.RootElement;
        Assert.Equal(Classes, root.GetProperty("examples").GetInt32());
        Assert.Equal("sparse", root.GetProperty("confusion_matrix_format").GetString());
        var cells = root.GetProperty("confusion_matrix").EnumerateArray().Select(cell => cell.EnumerateArray().Select(v => v.GetInt32()).ToArray()).ToArray();
        Assert.Equal(Classes, cells.Sum(cell => cell[2]));
        Assert.Equal(Enumerable.Range(0, Classes).Select(i => (i, 7, 1)), cells.Select(cell => (cell[0], cell[1], cell[2])));
        Assert.Equal(1.0 / Classes, root.GetProperty("accuracy").GetDouble(), 12);
        Assert.InRange(run.PeakResidentBytes, 0, 300L << 20);
    }

    [Fact]
    public void Table_ShowsTheLargestConfusions_NotAHundredMillionCells()
    {
        using var run = ChildProcess.Run(_folder.Path, "evaluate", "--model", "many.safetensors", "--data", "rows.csv");

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("Confusion matrix: the 30 largest confusions of 10000 classes (--json lists the whole matrix)", run.Output);
        Assert.Contains("│ c0     │ c7        │     1 │", run.Output);
        Assert.Contains("Per class: the 30 classes with the lowest F1 of 10000 (--json lists all)", run.Output);
        Assert.InRange(run.Output.Split('\n').Length, 10, 200);
        Assert.InRange(run.PeakResidentBytes, 0, 300L << 20);
    }

    [Fact]
    public void Plot_IsRefusedBeforeEvaluating()
    {
        var run = CliRun.InProcess("evaluate", "--model", _folder.File("many.safetensors"), "--data", _folder.File("rows.csv"), "--plot", _folder.File("c.png"));

        Assert.Equal(1, run.ExitCode);
        Assert.Equal("error: --plot draws the confusion matrix of at most 30 classes; this model has 10000 (--json lists its confusions).", Assert.Single(run.ErrorLines).TrimEnd('\r'));
        Assert.False(File.Exists(_folder.File("c.png")));
    }

    public void Dispose() => _folder.Dispose();
}
