using Backprop.Data;

namespace Backprop.Cli.Data;

/// <summary>The MNIST 10k subset built into the library (<see cref="Datasets.Mnist10k"/>), as the tool names it.</summary>
internal static class EmbeddedMnist
{
    /// <summary>What error messages and the model file call the embedded data.</summary>
    public const string Name = "embedded MNIST 10k subset";

    public static MnistData Load() => Datasets.Mnist10k();
}
