using Backprop.NN;

namespace Backprop.Cli.Models;

/// <summary>
/// The networks <c>backprop train</c> builds: an optional <see cref="Standardize"/> layer, then Dense layers of the
/// given widths with the same activation between them, and a last Dense layer giving one output per class.
/// </summary>
/// <param name="Inputs">Width of an input row.</param>
/// <param name="Hidden">Widths of the hidden layers, input side first.</param>
/// <param name="Activation">One of <see cref="Activations"/>' keys.</param>
/// <param name="Outputs">Number of outputs (classes).</param>
/// <param name="Standardized">Whether the first layer is a <see cref="Standardize"/> layer.</param>
internal sealed record Mlp(int Inputs, IReadOnlyList<int> Hidden, string Activation, int Outputs, bool Standardized)
{
    /// <summary>The activation names the tool accepts, with the modules they build.</summary>
    public static readonly IReadOnlyDictionary<string, Func<Module>> Activations = new Dictionary<string, Func<Module>>
    {
        ["relu"] = () => new ReLU(),
        ["tanh"] = () => new Tanh(),
        ["sigmoid"] = () => new Sigmoid(),
        ["gelu"] = () => new GELU(),
        ["leakyrelu"] = () => new LeakyReLU(),
        ["elu"] = () => new ELU(),
    };

    /// <summary>
    /// Builds the network with fresh weights drawn from the thread's <see cref="Rng"/>; a standardised network takes
    /// its statistics from <paramref name="mean"/> and <paramref name="standardDeviation"/> (zeros and ones when loading,
    /// where the saved buffers overwrite them).
    /// </summary>
    public Sequential Create(IReadOnlyList<float>? mean = null, IReadOnlyList<float>? standardDeviation = null)
    {
        var model = new Sequential();
        if (Standardized)
            model.Add(new Standardize(mean ?? new float[Inputs], standardDeviation ?? Enumerable.Repeat(1f, Inputs).ToArray()));
        int width = Inputs;
        foreach (int hidden in Hidden)
        {
            model.Add(new Dense(width, hidden));
            model.Add(Activations[Activation]());
            width = hidden;
        }
        model.Add(new Dense(width, Outputs));
        return model;
    }

    /// <summary>Reads the description back from a network <see cref="Create"/> built; null for any other module.</summary>
    public static Mlp? Describe(Module model)
    {
        if (model is not Sequential { Count: > 0 } sequential) return null;
        var layers = sequential.Layers.ToList();
        bool standardized = layers[0] is Standardize;
        if (standardized) layers.RemoveAt(0);
        var dense = layers.OfType<Dense>().ToList();
        var activations = layers.Where(layer => layer is not Dense).Select(Name).Distinct().ToList();
        if (dense.Count == 0 || layers[^1] is not Dense || activations.Count > 1 || activations.Contains(null)
            || layers.Count != 2 * dense.Count - 1) return null;
        return new Mlp(dense[0].Inputs, dense.SkipLast(1).Select(d => d.Outputs).ToArray(), activations.FirstOrDefault() ?? "relu",
            dense[^1].Outputs, standardized);
    }

    private static string? Name(Module activation) =>
        Activations.FirstOrDefault(pair => pair.Value().GetType() == activation.GetType()).Key;
}
