using System.Text.Json;
using Backprop.Tests;

namespace Backprop.Cli.Tests.Commands;

public class TrainCheckpointTests
{
    // Dropout and momentum carry state across epochs, and the exponential schedule depends on the epoch number,
    // so a resume that lost any of them would show in the losses.
    private static readonly string[] Options =
        ["--hidden", "32", "--dropout", "0.2", "--optimizer", "momentum", "--schedule", "exponential", "--limit", "1000", "--seed", "3", "--json", "--no-plot"];

    [Fact]
    public void ResumeInANewProcess_AfterTwoEpochs_EndsExactlyAsFourEpochsStraight()
    {
        using var folder = new TempFolder();
        var straight = CliRun.InProcess(["train", .. Options, "--epochs", "4", "--out", folder.File("straight.safetensors")]);
        var first = CliRun.InProcess(["train", .. Options, "--epochs", "2", "--checkpoint-dir", folder.File("checkpoints"), "--out", folder.File("half.safetensors")]);
        // The second half runs in a new process, as a resumed job would: nothing carries over but the checkpoint file.
        var resumed = CliRun.AsProcess(["train", .. Options, "--epochs", "4", "--resume", folder.File("checkpoints/last.safetensors"), "--out", folder.File("resumed.safetensors")]);

        Assert.Equal((0, 0, 0), (straight.ExitCode, first.ExitCode, resumed.ExitCode));
        Assert.True(File.Exists(folder.File("checkpoints/best.safetensors")));
        var straightEpochs = Epochs(straight.Output);
        Assert.Equal(straightEpochs[..2], Epochs(first.Output));
        Assert.Equal(straightEpochs[2..], Epochs(resumed.Output));
        Assert.Equal(File.ReadAllBytes(folder.File("straight.safetensors")), File.ReadAllBytes(folder.File("resumed.safetensors")));
    }

    [Fact]
    public void Resume_FromAMissingFile_IsAUserErrorInOneLine()
    {
        using var folder = new TempFolder();
        var run = CliRun.InProcess("train", "--resume", folder.File("nowhere.safetensors"), "--no-plot", "--out", folder.File("m.safetensors"));

        Assert.Equal(1, run.ExitCode);
        Assert.Single(run.ErrorLines);
        Assert.Contains("nowhere.safetensors", run.Error);
    }

    /// <summary>Epoch number, loss, validation loss and learning rate of each epoch line.</summary>
    private static (int, double, double, double)[] Epochs(string jsonLines) => [.. jsonLines.Split('\n', StringSplitOptions.RemoveEmptyEntries)
        .Select(line => JsonDocument.Parse(line).RootElement)
        .Where(element => element.TryGetProperty("epoch", out _))
        .Select(e => (e.GetProperty("epoch").GetInt32(), e.GetProperty("loss").GetDouble(), e.GetProperty("validation_loss").GetDouble(), e.GetProperty("learning_rate").GetDouble()))];
}
