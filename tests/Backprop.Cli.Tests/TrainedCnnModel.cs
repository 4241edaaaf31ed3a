using Backprop.Tests;

namespace Backprop.Cli.Tests;

/// <summary>
/// One run of <c>backprop train --arch cnn</c> with every other default, shared by the tests that need a trained
/// convolutional network: after the default MLP run it is the slowest thing the CLI tests do.
/// </summary>
public sealed class TrainedCnnModel : IDisposable
{
    private readonly TempFolder _folder = new();

    public TrainedCnnModel()
    {
        ModelPath = _folder.File("cnn.safetensors");
        Run = CliRun.InProcess("train", "--arch", "cnn", "--json", "--out", ModelPath, "--no-plot");
    }

    internal CliRun Run { get; }

    public string ModelPath { get; }

    public void Dispose() => _folder.Dispose();
}

[CollectionDefinition(Name)]
public sealed class TrainedCnnCollection : ICollectionFixture<TrainedCnnModel>
{
    public const string Name = "trained MNIST CNN";
}
