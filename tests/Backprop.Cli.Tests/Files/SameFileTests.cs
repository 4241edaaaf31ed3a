using Backprop.Tests;

namespace Backprop.Cli.Tests.Files;

/// <summary>
/// An output that is one of the command's inputs — by the same spelling, another spelling, a symbolic link to it or a
/// link to its folder — is a usage error (exit 2) in one line, and every input is unchanged afterwards.
/// </summary>
public class SameFileTests(IrisModel iris) : IClassFixture<IrisModel>
{
    [Fact]
    public void Train_OutIsTheData()
    {
        using var folder = new TempFolder();
        string data = folder.Write("iris.csv", File.ReadAllText(iris.DataPath));
        AssertRefused(folder, ["train", "--data", data, "--out", data, "--quiet"], "--out", "--data");
    }

    [Fact]
    public void Train_OutIsASymbolicLinkToTheData_OrInALinkedFolder()
    {
        using var folder = new TempFolder();
        string data = folder.Write("iris.csv", File.ReadAllText(iris.DataPath));
        File.CreateSymbolicLink(folder.File("link.csv"), "iris.csv");
        Directory.CreateSymbolicLink(folder.File("same-folder"), folder.Path);

        AssertRefused(folder, ["train", "--data", data, "--out", folder.File("link.csv"), "--quiet"], "--out", "--data");
        AssertRefused(folder, ["train", "--data", folder.File("link.csv"), "--out", Path.Combine(folder.Path, "same-folder", "iris.csv"), "--quiet"], "--out", "--data");
        AssertRefused(folder, ["train", "--data", data, "--out", Path.Combine(folder.Path, "same-folder", "..", Path.GetFileName(folder.Path), "iris.csv"), "--quiet"], "--out", "--data");
        Assert.True(File.ResolveLinkTarget(folder.File("link.csv"), returnFinalTarget: false) is not null, "the link is still a link");
    }

    [Fact]
    public void Predict_OutIsAHardLinkToTheData()
    {
        using var folder = iris.Copy();
        folder.HardLink(folder.File("iris.csv"), "same.csv");

        var before = Checksums.Of(folder.Path);
        var run = CliRun.InProcess("predict", "--model", folder.File("iris.safetensors"), "--data", folder.File("iris.csv"), "--out", folder.File("same.csv"));

        Assert.Equal(2, run.ExitCode);
        Assert.Equal($"error: --out {folder.File("same.csv")} is the same file as --data {folder.File("iris.csv")} (hard links to one file): writing it would destroy the input; nothing was done.",
            Assert.Single(run.ErrorLines).TrimEnd('\r'));
        Assert.Equal(before, Checksums.Of(folder.Path));
    }

    [Fact]
    public void Summary_OfADeviceOrPipe_IsRefused()
    {
        var run = CliRun.InProcess("summary", "--model", "/dev/zero");

        Assert.Equal(1, run.ExitCode);
        Assert.Equal("error: --model /dev/zero: a device or pipe, not a file; backprop reads its data from files (save the stream to a file first).", Assert.Single(run.ErrorLines).TrimEnd('\r'));
    }

    [Fact]
    public void Train_PlotIsTheOut_OrTheData()
    {
        using var folder = new TempFolder();
        string data = folder.Write("iris.csv", File.ReadAllText(iris.DataPath));
        AssertRefused(folder, ["train", "--data", data, "--out", folder.File("m.safetensors"), "--plot", folder.File("m.safetensors"), "--quiet"], "--out", "--plot");
        AssertRefused(folder, ["train", "--data", data, "--out", folder.File("m.safetensors"), "--plot", data, "--quiet"], "--plot", "--data");
    }

    [Fact]
    public void Train_OutIsAnIdxFileOfTheDataFolder()
    {
        using var folder = new TempFolder();
        string mnist = Path.Combine(folder.Path, "mnist");
        Directory.CreateDirectory(mnist);
        foreach (var file in Directory.GetFiles(RepoPaths.Data("mnist10k"), "*.gz")) File.Copy(file, Path.Combine(mnist, Path.GetFileName(file)));
        string images = Directory.GetFiles(mnist, "train-images*")[0];
        AssertRefused(folder, ["train", "--data", mnist, "--out", images, "--quiet"], "--out", "--data");
    }

    [Fact]
    public void Train_PlotIsAnImageOfTheDataFolder()
    {
        using var folder = new TempFolder();
        string images = Path.Combine(folder.Path, "pictures");
        Directory.CreateDirectory(Path.Combine(images, "cat"));
        string picture = Path.Combine(images, "cat", "1.png");
        // The check comes before any image is decoded, so the bytes need not be a picture.
        File.WriteAllText(picture, "pixels");
        AssertRefused(folder, ["train", "--data", images, "--plot", picture, "--out", folder.File("m.safetensors"), "--quiet"], "--plot", "--data");
    }

    [Fact]
    public void Train_OutIsTheCheckpointToResume_ButTheCheckpointFolderMayHoldIt()
    {
        using var folder = new TempFolder();
        string data = folder.Write("iris.csv", File.ReadAllText(iris.DataPath));
        string checkpoints = folder.File("ck");
        Assert.Equal(0, CliRun.InProcess("train", "--data", data, "--epochs", "2", "--checkpoint-dir", checkpoints, "--out", folder.File("m.safetensors"), "--no-plot", "--quiet").ExitCode);
        string last = Path.Combine(checkpoints, "last.safetensors");

        AssertRefused(folder, ["train", "--data", data, "--epochs", "3", "--resume", last, "--out", last, "--quiet"], "--out", "--resume");
        // Continuing a run in its own folder replaces last.safetensors on purpose.
        var resumed = CliRun.InProcess("train", "--data", data, "--epochs", "3", "--resume", last, "--checkpoint-dir", checkpoints, "--out", folder.File("m.safetensors"), "--no-plot", "--quiet");
        Assert.Equal(0, resumed.ExitCode);
    }

    [Theory]
    [InlineData("predict", "--out")]
    [InlineData("evaluate", "--plot")]
    public void Output_IsTheModel_OrTheData(string command, string output)
    {
        using var folder = iris.Copy();
        foreach (var (input, path) in new[] { ("--model", "iris.safetensors"), ("--data", "iris.csv") })
            AssertRefused(folder, [command, "--model", folder.File("iris.safetensors"), "--data", folder.File("iris.csv"), output, folder.File(path)], output, input);
    }

    [Fact]
    public void Export_OnnxIsTheModel()
    {
        using var folder = iris.Copy();
        AssertRefused(folder, ["export", "--model", folder.File("iris.safetensors"), "--onnx", folder.File("iris.safetensors")], "--onnx", "--model");
    }

    [Fact]
    public void BuiltTool_ExitsWith2_AndTouchesNothing()
    {
        using var folder = iris.Copy();
        var before = Checksums.Of(folder.Path);
        using var run = ChildProcess.Run(folder.Path, "train", "--data", "iris.csv", "--out", "./iris.csv");

        Assert.Equal(2, run.ExitCode);
        Assert.Equal("error: --out ./iris.csv is the same file as --data iris.csv: writing it would destroy the input; nothing was done.", Assert.Single(run.ErrorLines));
        Assert.Equal(before, Checksums.Of(folder.Path));
        Assert.InRange(run.PeakResidentBytes, 0, 300L << 20);
    }

    private static void AssertRefused(TempFolder folder, string[] args, string output, string input)
    {
        var before = Checksums.Of(folder.Path);
        var run = CliRun.InProcess(args);

        Assert.Equal(2, run.ExitCode);
        string line = Assert.Single(run.ErrorLines).TrimEnd('\r');
        Assert.StartsWith($"error: {output} ", line);
        Assert.Contains(input, line);
        Assert.Empty(run.Output);
        Assert.Equal(before, Checksums.Of(folder.Path));
    }
}
