using Backprop.Tests;

namespace Backprop.Cli.Tests.Files;

/// <summary>A small model trained on iris by the tool, with the data beside it, for tests that need a model file.</summary>
public sealed class IrisModel : IDisposable
{
    private readonly TempFolder _folder = new();

    public IrisModel()
    {
        DataPath = _folder.Write("iris.csv", File.ReadAllText(RepoPaths.Data("iris", "iris.csv")));
        ModelPath = _folder.File("iris.safetensors");
        var run = CliRun.InProcess("train", "--data", DataPath, "--label", "species", "--epochs", "20", "--out", ModelPath, "--no-plot", "--quiet");
        if (run.ExitCode != 0) throw new InvalidOperationException(run.Error);
    }

    public string DataPath { get; }

    public string ModelPath { get; }

    /// <summary>A fresh folder holding iris.csv and iris.safetensors.</summary>
    internal TempFolder Copy()
    {
        var folder = new TempFolder();
        File.Copy(DataPath, folder.File("iris.csv"));
        File.Copy(ModelPath, folder.File("iris.safetensors"));
        return folder;
    }

    public void Dispose() => _folder.Dispose();
}
