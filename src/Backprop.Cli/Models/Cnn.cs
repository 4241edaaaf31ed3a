using Backprop.NN;

namespace Backprop.Cli.Models;

/// <summary>
/// <c>--arch cnn</c>, for images [N, 1, 28, 28]: two blocks of a 3×3 convolution (padding 1), batch normalisation when
/// asked, the activation and a 2×2 max pool (28 → 14 → 7), then <see cref="Flatten"/>, optional hidden Dense layers,
/// and a Dense layer with one output per class; dropout, when asked, comes before every Dense layer. With channels
/// 8,16 and nothing else this is the libtorch reference network
/// Conv2d(1,8,3,p1)-ReLU-MaxPool2-Conv2d(8,16,3,p1)-ReLU-MaxPool2-Flatten-Dense(784,10).
/// </summary>
internal static class Cnn
{
    /// <summary>The per-example input shape: one channel of 28×28 pixels.</summary>
    public static readonly IReadOnlyList<int> InputShape = [1, 28, 28];

    /// <summary>Builds the network with fresh weights drawn from the thread's <see cref="Rng"/>.</summary>
    /// <param name="channels">Output channels of the two convolutions.</param>
    /// <param name="hidden">Widths of hidden Dense layers after the convolutions; usually none.</param>
    /// <param name="classes">Number of outputs.</param>
    /// <param name="layers">Activation, initialisation, batch normalisation and dropout.</param>
    public static Sequential Build(IReadOnlyList<int> channels, IReadOnlyList<int> hidden, int classes, Layers layers)
    {
        var modules = new List<Module>();
        int inChannels = InputShape[0], side = InputShape[1];
        foreach (int outChannels in channels)
        {
            modules.AddRange(layers.ConvolutionBlock(inChannels, outChannels));
            inChannels = outChannels;
            side /= 2;
        }
        modules.Add(new Flatten());
        int width = inChannels * side * side;
        foreach (int size in hidden)
        {
            modules.AddRange(layers.DropoutLayer());
            modules.AddRange(layers.Hidden(width, size));
            width = size;
        }
        modules.AddRange(layers.DropoutLayer());
        modules.Add(Layers.Output(width, classes));
        return new Sequential([.. modules]);
    }
}
