using Backprop.IO;
using Backprop.Tests;

namespace Backprop.Cli.Tests.Training;

/// <summary>
/// Ctrl+C (SIGINT) and SIGTERM sent to a real <c>backprop train</c> process: the first stops after the current step and
/// writes the last completed epoch's model (the one the checkpoint of that epoch holds), exit 130; a second quits at
/// once and leaves the old model file as it was.
/// </summary>
public class InterruptTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(2);

    [Theory]
    [InlineData(2)]
    [InlineData(15)]
    public void FirstSignal_WritesTheLastCompletedEpoch_AndExits130(int signal)
    {
        using var folder = new TempFolder();
        using var child = new ChildProcess(folder.Path, "train", "--limit", "2000", "--epochs", "200", "--checkpoint-dir", "ck", "--out", "model.safetensors", "--no-plot");
        Assert.True(child.WaitForLine("epoch 2/", Patience), child.Output + child.Error);

        child.Signal(signal);
        int code = child.WaitForExit(Patience);

        Assert.Equal(130, code);
        var lines = child.ErrorLines;
        Assert.StartsWith($"Interrupted ({(signal == 2 ? "SIGINT" : "SIGTERM")}): stopping after the current step", lines[0]);
        var checkpoint = Checkpoint.Load(folder.File(Path.Combine("ck", "last.safetensors")));
        Assert.Equal($"Interrupted: wrote model.safetensors with the weights of epoch {checkpoint.Epoch}.", lines[^1]);
        Assert.True(checkpoint.Epoch >= 2);
        // The model written is the one the last completed epoch left: the checkpoint of that epoch holds the same weights.
        var (model, _) = ModelStore.Load(folder.File("model.safetensors"));
        foreach (var ((name, weight), (_, saved)) in model.NamedParameters().Zip(checkpoint.Model.NamedParameters()))
            Assert.True(weight.ToFloatArray().SequenceEqual(saved.ToFloatArray()), name);
        Assert.Contains("Stopped: cancelled; the weights are those of epoch", child.Output);
        Assert.Empty(Directory.GetFiles(folder.Path, "*.tmp", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 }));
    }

    [Fact]
    public async Task SecondCtrlC_QuitsAtOnce_WritingNothing()
    {
        using var folder = new TempFolder();
        string plot = folder.Write("curves.png", "the plot of an earlier run");
        var before = Checksums.Of(plot);
        // --out is a FIFO nobody reads: after the first Ctrl+C the tool waits to write the model into it, so the second
        // Ctrl+C comes while it is saving, whatever the machine's speed.
        string fifo = folder.File("model.fifo");
        using (var mkfifo = System.Diagnostics.Process.Start("mkfifo", [fifo])!)
        {
            await mkfifo.WaitForExitAsync();
            Assert.Equal(0, mkfifo.ExitCode);
        }
        using var child = new ChildProcess(folder.Path, "train", "--limit", "2000", "--epochs", "200", "--out", "model.fifo", "--plot", "curves.png");
        Assert.True(child.WaitForLine("epoch 1/", Patience), child.Output + child.Error);

        child.Signal(2);
        // A second signal sent before the first is handled would merge with it (POSIX signals do not queue).
        Assert.True(child.WaitForErrorLine("Interrupted (SIGINT): stopping", Patience), child.Error);
        child.Signal(2);
        int code = child.WaitForExit(Patience);

        Assert.Equal(130, code);
        Assert.Equal("Interrupted (SIGINT): quitting at once; no file was written.", child.ErrorLines[^1]);
        Assert.Equal(before, Checksums.Of(plot));
        Assert.Equal(["curves.png", "model.fifo"], Directory.GetFiles(folder.Path).Select(Path.GetFileName).Order());
    }

    [Fact]
    public async Task OtherCommands_QuitAtOnceOnSigterm_With130()
    {
        using var folder = new TempFolder();
        string data = folder.Write("iris.csv", File.ReadAllText(RepoPaths.Data("iris", "iris.csv")));
        Assert.Equal(0, CliRun.InProcess("train", "--data", data, "--epochs", "2", "--out", folder.File("iris.safetensors"), "--no-plot", "--quiet").ExitCode);
        // predict waits to write into a FIFO nobody reads: a command caught in the middle of its work.
        string fifo = folder.File("out.fifo");
        using (var mkfifo = System.Diagnostics.Process.Start("mkfifo", [fifo])!)
        {
            await mkfifo.WaitForExitAsync();
            Assert.Equal(0, mkfifo.ExitCode);
        }
        var before = Checksums.Of(data, folder.File("iris.safetensors"));
        using var child = new ChildProcess(folder.Path, "predict", "--model", "iris.safetensors", "--data", "iris.csv", "--out", "out.fifo");
        // The model is loaded and the predictions made once the process waits in the FIFO's open for a reader.
        Assert.True(WaitForFifoOpen(child, Patience), child.Error);

        child.Signal(15);

        Assert.True(child.WaitForExit(Patience) == 130, child.Error);
        Assert.Equal("Interrupted (SIGTERM): quitting at once; no file was written.", Assert.Single(child.ErrorLines));
        Assert.Equal(before, Checksums.Of(data, folder.File("iris.safetensors")));
    }

    private static bool WaitForFifoOpen(ChildProcess child, TimeSpan timeout)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            if (child.IsBlockedInFifoOpen()) return true;
            Thread.Sleep(20);
        }
        return false;
    }

    [Fact]
    public void CtrlCBeforeTheFirstEpochEnds_WritesNothing()
    {
        using var folder = new TempFolder();
        // An epoch of 2,000 steps through 4,096 units takes far longer than it takes to see the line printed before it.
        using var child = new ChildProcess(folder.Path, "train", "--hidden", "4096", "--batch-size", "4", "--epochs", "5", "--out", "model.safetensors", "--no-plot");
        Assert.True(child.WaitForLine("Training Sequential(", Patience), child.Output + child.Error);

        child.Signal(2);

        Assert.Equal(130, child.WaitForExit(Patience));
        Assert.DoesNotContain("epoch 1/5", child.Output);
        Assert.Equal("Interrupted before the first epoch completed: model.safetensors was not written.", child.ErrorLines[^1]);
        Assert.False(File.Exists(folder.File("model.safetensors")));
    }
}
