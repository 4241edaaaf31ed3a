using Backprop.NN;

namespace Backprop.Cli.Benchmarking;

/// <summary>
/// The benchmarks' multilayer perceptron: Dense layers of the given widths with ReLU between them, PyTorch's
/// default initialisation from <see cref="Rng"/>. bench/Backprop.Benchmarks compiles this same file, so the
/// Stopwatch harness and <c>backprop bench</c> time the same network.
/// </summary>
internal static class ReluMlp
{
    /// <summary>Builds the network; <paramref name="sizes"/> holds the input width, the hidden widths and the output width.</summary>
    public static Sequential Build(IReadOnlyList<int> sizes)
    {
        var layers = new List<Module>();
        for (int i = 0; i + 1 < sizes.Count; i++)
        {
            layers.Add(new Dense(sizes[i], sizes[i + 1]));
            if (i + 2 < sizes.Count) layers.Add(new ReLU());
        }
        return new Sequential([.. layers]);
    }
}
