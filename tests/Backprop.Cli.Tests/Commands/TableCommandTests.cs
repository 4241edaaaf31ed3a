using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Text.Json;

using Backprop.Tests;

namespace Backprop.Cli.Tests.Commands;

/// <summary>train, evaluate and predict on CSV tables: regression end to end, missing cells, text columns, ids, dialects.</summary>
public class TableCommandTests
{
    /// <summary>y = 2a − 3b + 10 + noise, 200 rows; every 10th row has an empty a.</summary>
    private static string Linear(TempFolder folder, string name = "linear.csv", int rows = 200, int seed = 1)
    {
        var random = new Random(seed);
        var text = new StringBuilder("a,b,y\n");
        for (int row = 0; row < rows; row++)
        {
            double a = random.NextDouble() * 4, b = random.NextDouble() * 2, y = 2 * a - 3 * b + 10 + 0.1 * (random.NextDouble() - 0.5);
            text.Append(row % 10 == 3 ? "" : a.ToString("F4", CultureInfo.InvariantCulture)).Append(',')
                .Append(b.ToString("F4", CultureInfo.InvariantCulture)).Append(',').Append(y.ToString("F4", CultureInfo.InvariantCulture)).Append('\n');
        }
        return folder.Write(name, text.ToString());
    }

    private static JsonElement LastJson(string output) => JsonDocument.Parse(output.Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1]).RootElement;

    [Fact]
    public void Predict_ToStdout_WithNoUsableTemporaryFolder_StillPrintsEveryRow()
    {
        // The held output stays in memory up to 8 MB: a machine whose TMPDIR cannot be written still predicts.
        using var folder = new TempFolder();
        string model = folder.File("m.safetensors");
        Assert.Equal(0, CliRun.InProcess("train", "--data", Linear(folder), "--epochs", "2", "--no-plot", "--quiet", "--out", model).ExitCode);
        string rows = folder.Write("new.csv", "a,b\n1,2\n3,4\n");

        using var child = new ChildProcess(folder.Path, new Dictionary<string, string> { ["TMPDIR"] = folder.File("no-such-folder") }, "predict", "--model", model, "--data", rows);

        Assert.Equal(0, child.WaitForExit(TimeSpan.FromMinutes(2)));
        Assert.Equal(["index,predicted", "0", "1"], child.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => line.Split(',')[0] == "index" ? line : line.Split(',')[0]));
        Assert.Equal("", child.Error);
    }

    [Fact]
    public void Predict_WithABadRowAfterTheFirstBatch_PrintsNothingButTheError()
    {
        using var folder = new TempFolder();
        string model = folder.File("m.safetensors");
        Assert.Equal(0, CliRun.InProcess("train", "--data", Linear(folder), "--epochs", "2", "--no-plot", "--quiet", "--out", model).ExitCode);
        // 1,500 good rows (predict works 1,024 at a time), then a row with a column too many.
        string rows = folder.Write("new.csv", "a,b\n" + string.Concat(Enumerable.Repeat("1,2\n", 1500)) + "3,4,5\n");

        var predict = CliRun.InProcess("predict", "--model", model, "--data", rows);

        Assert.Equal(1, predict.ExitCode);
        Assert.Contains("line 1502", Assert.Single(predict.ErrorLines));
        Assert.Equal("", predict.Output);
    }

    [Fact]
    public void Regression_EndToEnd_ReportsMseMaeR2_AndPredictsValuesInTheTargetsUnits()
    {
        using var folder = new TempFolder();
        string data = Linear(folder), model = folder.File("m.safetensors");
        var train = CliRun.InProcess("train", "--data", data, "--epochs", "40", "--json", "--out", model, "--plot", folder.File("p.png"));
        Assert.Equal(0, train.ExitCode);
        var summary = LastJson(train.Output);
        Assert.Equal("regression", summary.GetProperty("task").GetString());
        Assert.Contains("non-integer", summary.GetProperty("task_reason").GetString());
        foreach (string metric in new[] { "mse", "mae", "r2", "validation_mse", "validation_mae", "validation_r2" })
            Assert.Equal(JsonValueKind.Number, summary.GetProperty(metric).ValueKind);
        // A linear target with little noise: a small MLP explains nearly all of its variance.
        Assert.True(summary.GetProperty("validation_r2").GetDouble() > 0.9, train.Output);
        Assert.True(File.Exists(folder.File("p.png")));

        var evaluate = CliRun.InProcess("evaluate", "--model", model, "--data", data, "--json", "--plot", folder.File("e.png"));
        Assert.Equal(0, evaluate.ExitCode);
        var report = JsonDocument.Parse(evaluate.Output).RootElement;
        Assert.True(report.GetProperty("r2").GetDouble() > 0.9, evaluate.Output);
        // MSE is in the target's units: its square root is of the order of the MAE, not of a standardised error.
        Assert.InRange(Math.Sqrt(report.GetProperty("mse").GetDouble()), report.GetProperty("mae").GetDouble(), 3 * report.GetProperty("mae").GetDouble() + 1e-9);
        Assert.True(File.Exists(folder.File("e.png")));

        string fresh = folder.Write("new.csv", "b,a\n1,2\n0,0\n");
        var predict = CliRun.InProcess("predict", "--model", model, "--data", fresh);
        Assert.Equal(0, predict.ExitCode);
        var lines = predict.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("index,predicted", lines[0]);
        // y = 2·2 − 3·1 + 10 = 11 and y = 10: predictions in the target's units, within a unit of the truth.
        Assert.InRange(double.Parse(lines[1].Split(',')[1], CultureInfo.InvariantCulture), 10, 12);
        Assert.InRange(double.Parse(lines[2].Split(',')[1], CultureInfo.InvariantCulture), 9, 11);
    }

    [Theory]
    [InlineData("mae")]
    [InlineData("huber")]
    public void RegressionLosses_Train(string loss)
    {
        using var folder = new TempFolder();
        var run = CliRun.InProcess("train", "--data", Linear(folder), "--loss", loss, "--epochs", "30", "--json", "--out", folder.File("m.safetensors"), "--no-plot");
        Assert.Equal(0, run.ExitCode);
        Assert.True(LastJson(run.Output).GetProperty("validation_r2").GetDouble() > 0.8, run.Output);
    }

    [Fact]
    public void ClassLoss_ForANumberToRegress_IsAnError_AndTaskClassification_TurnsNumbersIntoClasses()
    {
        using var folder = new TempFolder();
        string data = folder.Write("d.csv", "a,y\n1,1.5\n2,2.5\n3,1.5\n4,2.5\n5,1.5\n");
        var refused = CliRun.InProcess("train", "--data", data, "--loss", "cross-entropy", "--quiet", "--out", folder.File("m.safetensors"));
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("--loss cross-entropy needs classes", refused.Error);
        var forced = CliRun.InProcess("train", "--data", data, "--task", "classification", "--epochs", "1", "--quiet", "--out", folder.File("m.safetensors"));
        Assert.Equal(0, forced.ExitCode);
        var (_, info) = ModelStore.Load(folder.File("m.safetensors"));
        Assert.Equal(["1.5", "2.5"], info.ClassNames);
    }

    [Fact]
    public void MixedTable_WithMissingCellsTextColumnsAndIds_TrainsEvaluatesAndPredicts_UnseenValuesGoToOther()
    {
        using var folder = new TempFolder();
        var random = new Random(2);
        var text = new StringBuilder("id,size,colour,label\n");
        string[] colours = ["red", "green", "blue"];
        for (int row = 0; row < 300; row++)
        {
            int colour = random.Next(3);
            double size = random.NextDouble() * 10;
            string label = colour == 0 || size > 7 ? "yes" : "no";
            text.Append("r").Append(row).Append(',').Append(row % 7 == 0 ? "NA" : size.ToString("F2", CultureInfo.InvariantCulture))
                .Append(',').Append(row % 11 == 0 ? "" : colours[colour]).Append(',').Append(label).Append('\n');
        }
        string data = folder.Write("mixed.csv", text.ToString()), model = folder.File("m.safetensors");
        var train = CliRun.InProcess("train", "--data", data, "--id-column", "id", "--missing-indicators", "--epochs", "30", "--out", model, "--no-plot");
        Assert.Equal(0, train.ExitCode);
        Assert.Contains("Task: classification: label 'label' holds text", train.Output);
        var (_, info) = ModelStore.Load(model);
        Assert.Equal(["size", "colour"], info.FeatureNames);

        var evaluate = CliRun.InProcess("evaluate", "--model", model, "--data", data, "--json");
        Assert.Equal(0, evaluate.ExitCode);
        Assert.True(JsonDocument.Parse(evaluate.Output).RootElement.GetProperty("accuracy").GetDouble() > 0.85, evaluate.Output);

        string fresh = folder.Write("new.csv", "colour,size,id\npurple,9,n1\nred,1,n2\n");
        var predict = CliRun.InProcess("predict", "--model", model, "--data", fresh);
        Assert.Equal(0, predict.ExitCode);
        var lines = predict.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("id,predicted,p_no,p_yes", lines[0]);
        Assert.StartsWith("n1,", lines[1]);
        Assert.StartsWith("n2,yes,", lines[2]);
        Assert.Contains("1 values were not among their column's categories", predict.Error);
    }

    [Fact]
    public void SemicolonGzipFile_IsReadAsItIs()
    {
        using var folder = new TempFolder();
        string path = folder.File("d.csv.gz");
        var text = new StringBuilder("a;b;label\n");
        for (int row = 0; row < 40; row++) text.Append(row).Append(';').Append(row % 5).Append(';').Append(row < 20 ? "x" : "y").Append('\n');
        using (var gzip = new GZipStream(File.Create(path), CompressionLevel.Fastest)) gzip.Write(Encoding.UTF8.GetBytes(text.ToString()));
        var run = CliRun.InProcess("train", "--data", path, "--epochs", "1", "--out", folder.File("m.safetensors"), "--no-plot");
        Assert.Equal(0, run.ExitCode);
        Assert.Contains("delimiter: ';' (detected from the header)", run.Output);
    }

    [Theory]
    [InlineData("a,y\n1,p\n2,p\n3,p\n", new string[0], "single value 'p'")]
    [InlineData("a;y\n1;p\n2;q\n", new[] { "--delimiter", "," }, "is the delimiter ';'?")]
    [InlineData("a,b,y\n1,,p\n2,,q\n", new string[0], "column 'b' is empty in every row")]
    [InlineData("a,y\n1,p\n2,q\n", new[] { "--ignore", "nope" }, "--ignore names 'nope', which is not a column")]
    public void BadTables_AreOneLineErrors(string content, string[] options, string problem)
    {
        using var folder = new TempFolder();
        var run = CliRun.InProcess(["train", "--data", folder.Write("bad.csv", content), "--quiet", "--out", folder.File("m.safetensors"), .. options]);
        Assert.Equal(1, run.ExitCode);
        var line = Assert.Single(run.ErrorLines);
        Assert.Contains(problem, line);
        Assert.False(File.Exists(folder.File("m.safetensors")));
    }

    [Theory]
    // scikit-learn 1.2.1 on the same split (bench/tables/RESULTS.md): diabetes, best of RidgeCV and MLPRegressor R² 0.491;
    // the mixed table, SimpleImputer + OneHotEncoder + StandardScaler + MLPClassifier accuracy 0.738 (mean of 3 seeds).
    [InlineData("diabetes", "r2", 0.491 - 0.05, new string[0])]
    [InlineData("mixed", "accuracy", 0.738 - 0.02, new[] { "--id-column", "id", "--validation-split", "0.1" })]
    public void SameSplitAsScikitLearn_LandsWithinTheIssuesMargin(string data, string metric, double least, string[] options)
    {
        using var folder = new TempFolder();
        string split = Path.Combine(RepoPaths.Root, "bench", "tables", "out"), model = folder.File("m.safetensors");
        var train = CliRun.InProcess(["train", "--data", Path.Combine(split, $"{data}-train.csv"), "--quiet", "--out", model, "--no-plot", .. options]);
        Assert.Equal(0, train.ExitCode);
        var evaluate = CliRun.InProcess("evaluate", "--model", model, "--data", Path.Combine(split, $"{data}-test.csv"), "--json");
        Assert.True(JsonDocument.Parse(evaluate.Output).RootElement.GetProperty(metric).GetDouble() >= least, evaluate.Output);
    }

    [Fact]
    public void Export_OfATableModel_TakesRawColumns_AndSaysWhatItLeavesToTheCaller()
    {
        using var folder = new TempFolder();
        string data = folder.Write("t.csv", "size,city,y\n1,York,a\n2,Leeds,b\nNA,York,a\n4,,b\n5,Hull,a\n6,York,b\n"), model = folder.File("m.safetensors");
        Assert.Equal(0, CliRun.InProcess("train", "--data", data, "--epochs", "1", "--quiet", "--out", model, "--no-plot").ExitCode);
        var run = CliRun.InProcess("export", "--model", model, "--onnx", folder.File("m.onnx"), "--json");
        Assert.Equal(0, run.ExitCode);
        var report = JsonDocument.Parse(run.Output).RootElement;
        Assert.Equal(["size"], report.GetProperty("numeric_columns").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(["city"], report.GetProperty("categorical_columns").EnumerateArray().Select(e => e.GetString()));
        Assert.Contains(report.GetProperty("notes").EnumerateArray(), note => note.GetString()!.Contains("NaN"));
        // The graph's strings are stored as they are in the protobuf file (the library's tests run it in ONNX Runtime).
        string bytes = System.Text.Encoding.Latin1.GetString(File.ReadAllBytes(folder.File("m.onnx")));
        Assert.Contains("OneHotEncoder", bytes);
        Assert.Contains("ai.onnx.ml", bytes);
    }

    [Fact]
    public void ValidationSplitThatLeavesNoTrainingRows_IsAnErrorThatSaysSo()
    {
        using var folder = new TempFolder();
        var run = CliRun.InProcess("train", "--data", folder.Write("t.csv", "a,y\n1,1.5\n2,2.5\n"), "--validation-split", "0.999", "--quiet", "--out", folder.File("m.safetensors"));
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("no training rows are left", Assert.Single(run.ErrorLines));
    }
}
