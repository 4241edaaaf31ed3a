using System.Diagnostics;
using Backprop.Tests;

namespace Backprop.Cli.Tests.Files;

/// <summary>
/// Where outputs go: a folder that does not exist or cannot be written is named before any training; a symbolic link is
/// written through to its target; a device is written in place; a full disk or a read-only folder gives one line and
/// keeps the old file.
/// </summary>
public class OutputWriteTests(IrisModel iris) : IClassFixture<IrisModel>
{
    [Theory]
    [InlineData("train", "--out")]
    [InlineData("train", "--plot")]
    [InlineData("predict", "--out")]
    [InlineData("export", "--onnx")]
    [InlineData("evaluate", "--plot")]
    public void OutputInAFolderThatDoesNotExist_IsNamedAsTyped_BeforeAnyWork(string command, string option)
    {
        using var folder = iris.Copy();
        string missing = Path.Combine(folder.Path, "no-such-folder", "out.file");
        string[] args = command switch
        {
            "train" => ["train", "--data", folder.File("iris.csv"), "--epochs", "1", "--quiet", option, missing],
            "export" => ["export", "--model", folder.File("iris.safetensors"), option, missing],
            _ => [command, "--model", folder.File("iris.safetensors"), "--data", folder.File("iris.csv"), option, missing],
        };
        var before = Checksums.Of(folder.Path);
        var run = CliRun.InProcess(args);

        Assert.Equal(1, run.ExitCode);
        Assert.Equal($"error: {option} {missing}: the folder {Path.GetDirectoryName(missing)} does not exist; create it first.", Assert.Single(run.ErrorLines).TrimEnd('\r'));
        Assert.Empty(run.Output);
        Assert.Equal(before, Checksums.Of(folder.Path));
    }

    [Fact]
    public void ResumeFromAMissingCheckpoint_SaysSoInOneLine()
    {
        var run = CliRun.InProcess("train", "--data", iris.DataPath, "--resume", "missing.safetensors", "--quiet");

        Assert.Equal(1, run.ExitCode);
        Assert.Equal("error: --resume missing.safetensors: no such checkpoint file (train --checkpoint-dir FOLDER writes FOLDER/last.safetensors and best.safetensors).",
            Assert.Single(run.ErrorLines).TrimEnd('\r'));
    }

    [Fact]
    public void OutAsASymbolicLink_ReplacesItsTarget_AndKeepsTheLink()
    {
        using var folder = new TempFolder();
        Directory.CreateDirectory(folder.File("models"));
        string target = folder.Write(Path.Combine("models", "real.safetensors"), "old content");
        File.CreateSymbolicLink(folder.File("link.safetensors"), Path.Combine("models", "real.safetensors"));

        var run = CliRun.InProcess("train", "--data", iris.DataPath, "--epochs", "1", "--out", folder.File("link.safetensors"), "--no-plot", "--quiet");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(Path.Combine("models", "real.safetensors"), new FileInfo(folder.File("link.safetensors")).LinkTarget);
        Assert.NotNull(ModelStore.Load(target).Model);
        Assert.Equal(["real.safetensors"], Directory.GetFiles(folder.File("models")).Select(Path.GetFileName));
    }

    [Fact]
    public void DevNull_IsWrittenInPlace_AndStaysADevice()
    {
        var run = CliRun.InProcess("train", "--data", iris.DataPath, "--epochs", "1", "--out", "/dev/null", "--no-plot", "--quiet");

        Assert.Equal(0, run.ExitCode);
        Assert.True(Backprop.IO.AtomicFile.IsSpecialFile("/dev/null"));
    }

    [Fact]
    public void DevFull_IsOneLineAboutTheFullDevice()
    {
        var run = CliRun.InProcess("predict", "--model", iris.ModelPath, "--data", iris.DataPath, "--out", "/dev/full");

        Assert.Equal(1, run.ExitCode);
        Assert.Equal("error: /dev/full: cannot write the file (No space left on device).", Assert.Single(run.ErrorLines).TrimEnd('\r'));
        Assert.True(Backprop.IO.AtomicFile.IsSpecialFile("/dev/full"));
    }

    [Fact]
    public async Task Fifo_AsOutput_IsWrittenThrough_AsData_IsRefused()
    {
        using var folder = new TempFolder();
        string fifo = folder.File("pipe");
        using (var mkfifo = Process.Start("mkfifo", [fifo])!)
        {
            await mkfifo.WaitForExitAsync();
            Assert.Equal(0, mkfifo.ExitCode);
        }
        var reader = Task.Run(() => File.ReadAllText(fifo));

        var run = CliRun.InProcess("predict", "--model", iris.ModelPath, "--data", iris.DataPath, "--out", fifo);

        Assert.Equal(0, run.ExitCode);
        string text = await reader.WaitAsync(TimeSpan.FromMinutes(1));
        Assert.StartsWith("index,predicted,p_setosa,", text);
        Assert.Equal(151, text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);

        var asData = CliRun.InProcess("train", "--data", fifo, "--quiet");
        Assert.Equal(1, asData.ExitCode);
        Assert.Equal($"error: --data {fifo}: a device or pipe, not a file; backprop reads its data from files (save the stream to a file first).", Assert.Single(asData.ErrorLines).TrimEnd('\r'));
    }

    [Fact]
    public void DevZeroAsData_IsRefusedClearly_InBoundedMemory()
    {
        using var folder = new TempFolder();
        using var run = ChildProcess.Run(folder.Path, "train", "--data", "/dev/zero");

        Assert.Equal(1, run.ExitCode);
        Assert.Equal("error: --data /dev/zero: a device or pipe, not a file; backprop reads its data from files (save the stream to a file first).", Assert.Single(run.ErrorLines));
        Assert.InRange(run.PeakResidentBytes, 0, 300L << 20);
    }

    [Fact]
    public void FullDisk_IsOneLine_AndTheOldModelIsKept()
    {
        using var disk = SmallDisk.Mount(kilobytes: 256);
        if (disk is null) return; // Mounting needs root (as CI runs); elsewhere there is no full disk to make.
        string model = Path.Combine(disk.Path, "model.safetensors");
        File.Copy(iris.ModelPath, model);
        // Fill the disk to within a few kilobytes: the new model (the old one's size) cannot fit beside the old.
        using (var filler = new FileStream(Path.Combine(disk.Path, "filler"), FileMode.CreateNew))
        {
            var block = new byte[4096];
            try { while (true) filler.Write(block); }
            catch (IOException) { }
        }
        var before = Checksums.Of(model, iris.DataPath);

        var run = CliRun.InProcess("train", "--data", iris.DataPath, "--epochs", "1", "--out", model, "--no-plot", "--quiet");

        Assert.Equal(1, run.ExitCode);
        Assert.Equal($"error: {model}: cannot write the file (No space left on device); the file there is unchanged.", Assert.Single(run.ErrorLines).TrimEnd('\r'));
        Assert.Equal(before, Checksums.Of(model, iris.DataPath));
        Assert.Equal(["filler", "model.safetensors"], Directory.GetFiles(disk.Path).Select(Path.GetFileName).Order());
    }

    [Fact]
    public void ReadOnlyFolder_IsNamedBeforeTraining_AndTheOldModelIsKept()
    {
        using var disk = SmallDisk.Mount(kilobytes: 256);
        if (disk is null) return; // As above: a read-only mount needs root; root ignores a folder's write bits.
        string model = Path.Combine(disk.Path, "model.safetensors");
        File.Copy(iris.ModelPath, model);
        disk.MakeReadOnly();
        var before = Checksums.Of(model);

        var run = CliRun.InProcess("train", "--data", iris.DataPath, "--epochs", "1", "--out", model, "--no-plot", "--quiet");

        Assert.Equal(1, run.ExitCode);
        Assert.Equal($"error: --out {model}: cannot write in the folder {disk.Path} (a read-only file system).", Assert.Single(run.ErrorLines).TrimEnd('\r'));
        Assert.Equal(before, Checksums.Of(model));
    }
}
