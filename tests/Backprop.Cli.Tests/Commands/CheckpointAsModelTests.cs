using System.Text.Json;
using Backprop.Tests;

namespace Backprop.Cli.Tests.Commands;

/// <summary>evaluate and predict read the checkpoints train --checkpoint-dir writes, as the model each one holds.</summary>
public class CheckpointAsModelTests
{
    [Fact]
    public void EvaluateAndPredict_ReadABestCheckpoint_AsTheModelItHolds()
    {
        using var folder = new TempFolder();
        string iris = RepoPaths.Data("iris", "iris.csv");
        Assert.Equal(0, CliRun.InProcess("train", "--data", iris, "--epochs", "5", "--checkpoint-dir", folder.File("ck"), "--out", folder.File("m.safetensors"), "--no-plot", "--quiet").ExitCode);
        string best = Path.Combine(folder.Path, "ck", "best.safetensors");

        var evaluation = CliRun.InProcess("evaluate", "--model", best, "--data", iris, "--json");
        var prediction = CliRun.InProcess("predict", "--model", best, "--data", iris);

        Assert.Equal(0, evaluation.ExitCode);
        using var document = JsonDocument.Parse(evaluation.Output);
        Assert.Equal(150, document.RootElement.GetProperty("examples").GetInt32());
        Assert.Equal(0, prediction.ExitCode);
        Assert.StartsWith("index,predicted,p_setosa,p_versicolor,p_virginica", prediction.Output);
        // The checkpoint's weights are the model's: loading it as a checkpoint gives the same tensors as evaluate used.
        var (model, _) = ModelStore.Load(best);
        var checkpoint = Backprop.IO.Checkpoint.Load(best);
        Assert.Equal(checkpoint.Model.NamedParameters().Select(p => p.Parameter.ToFloatArray()), model.NamedParameters().Select(p => p.Parameter.ToFloatArray()));
    }

    [Fact]
    public void CheckpointWithoutADescription_SaysHowToGetAModelFile()
    {
        using var folder = new TempFolder();
        var model = new Backprop.NN.Sequential(new Backprop.NN.Dense(4, 3));
        string path = folder.File("old.safetensors");
        Backprop.IO.Checkpoint.Save(path, model, null, epoch: 2);

        var run = CliRun.InProcess("evaluate", "--model", path, "--data", RepoPaths.Data("iris", "iris.csv"));

        Assert.Equal(1, run.ExitCode);
        Assert.Contains($"a checkpoint without 'backprop.description'", Assert.Single(run.ErrorLines));
        Assert.Contains($"backprop train --resume {path}", run.Error);
    }
}
