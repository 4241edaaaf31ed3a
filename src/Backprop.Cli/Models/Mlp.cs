using Backprop.NN;

namespace Backprop.Cli.Models;

/// <summary>
/// <c>--arch mlp</c>: an image folder's normalisation when there is one, then one hidden Dense layer per width
/// (each followed by batch normalisation when asked and the activation), dropout before every Dense layer but the
/// first when asked, and a last Dense layer giving one output per class. The file written by <c>Save</c> describes it.
/// </summary>
internal static class Mlp
{
    /// <summary>Builds the network with fresh weights drawn from the thread's <see cref="Rng"/>.</summary>
    /// <param name="inputs">Width of an input row.</param>
    /// <param name="hidden">Widths of the hidden layers, input side first.</param>
    /// <param name="classes">Number of outputs.</param>
    /// <param name="layers">Activation, initialisation, batch normalisation and dropout.</param>
    /// <param name="imageLayer">For images [N, C, H, W], the layer that normalises them, followed by a <see cref="Flatten"/>; null for rows.</param>
    public static Sequential Build(int inputs, IReadOnlyList<int> hidden, int classes, Layers layers, Module? imageLayer = null)
    {
        var modules = new List<Module>();
        if (imageLayer is not null) modules.AddRange([imageLayer, new Flatten()]);
        int width = inputs;
        for (int i = 0; i < hidden.Count; i++)
        {
            // Dropout on learned features only: dropping input pixels or columns is data augmentation, not this option.
            if (i > 0) modules.AddRange(layers.DropoutLayer());
            modules.AddRange(layers.Hidden(width, hidden[i]));
            width = hidden[i];
        }
        if (hidden.Count > 0) modules.AddRange(layers.DropoutLayer());
        modules.Add(Layers.Output(width, classes));
        return new Sequential([.. modules]);
    }
}
