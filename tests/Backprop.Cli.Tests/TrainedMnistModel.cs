using Backprop.Tests;

namespace Backprop.Cli.Tests;

/// <summary>
/// One run of <c>backprop train</c> with every default (10 epochs on the embedded MNIST subset), shared by the tests
/// of train, evaluate and predict: it is the slowest thing the CLI tests do.
/// </summary>
public sealed class TrainedMnistModel : IDisposable
{
    private readonly TempFolder _folder = new();

    public TrainedMnistModel()
    {
        ModelPath = _folder.File("model.safetensors");
        PlotPath = _folder.File("training.png");
        Run = CliRun.InProcess("train", "--out", ModelPath, "--plot", PlotPath);
    }

    internal CliRun Run { get; }

    public string ModelPath { get; }

    public string PlotPath { get; }

    public void Dispose() => _folder.Dispose();
}

[CollectionDefinition(Name)]
public sealed class TrainedMnistCollection : ICollectionFixture<TrainedMnistModel>
{
    public const string Name = "trained MNIST model";
}
