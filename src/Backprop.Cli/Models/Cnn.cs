using Backprop.NN;

namespace Backprop.Cli.Models;

/// <summary>
/// <c>--arch cnn</c>, for images [N, C, H, W] of any size: one block per entry of <c>--channels</c>, each a 3×3
/// convolution (padding 1), batch normalisation when asked, the activation and a 2×2 max pool (28 → 14 → 7 for MNIST),
/// then <see cref="Flatten"/>, optional hidden Dense layers, and a Dense layer with one output per class whose width
/// comes from the data's C×H×W; dropout, when asked, comes before every Dense layer. With channels 8,16 and nothing
/// else on MNIST this is the libtorch reference network
/// Conv2d(1,8,3,p1)-ReLU-MaxPool2-Conv2d(8,16,3,p1)-ReLU-MaxPool2-Flatten-Dense(784,10).
/// </summary>
internal static class Cnn
{
    /// <summary>Builds the network with fresh weights drawn from the thread's <see cref="Rng"/>.</summary>
    /// <param name="inputShape">One example's shape, [channels, height, width].</param>
    /// <param name="channels">Output channels of the convolutions, one block each.</param>
    /// <param name="hidden">Widths of hidden Dense layers after the convolutions; usually none.</param>
    /// <param name="classes">Number of outputs.</param>
    /// <param name="layers">Activation, initialisation, batch normalisation and dropout.</param>
    /// <param name="inputLayer">A first layer the data needs (an image folder's normalisation), or null.</param>
    /// <exception cref="ArgumentException">The images are too small for the blocks (the library's <see cref="ConvNet.FlattenedSize"/> says so): each block halves the height and width, which must stay at least 1.</exception>
    public static Sequential Build(IReadOnlyList<int> inputShape, IReadOnlyList<int> channels, IReadOnlyList<int> hidden, int classes, Layers layers, Module? inputLayer = null)
    {
        if (inputShape.Count != 3)
            throw new InvalidDataException($"--arch cnn takes images [channels, height, width], not examples of shape [{string.Join(", ", inputShape)}]; use --arch mlp.");
        int flattened = ConvNet.FlattenedSize(inputShape, channels);

        var modules = new List<Module>();
        if (inputLayer is not null) modules.Add(inputLayer);
        int inChannels = inputShape[0];
        foreach (int outChannels in channels)
        {
            modules.AddRange(layers.ConvolutionBlock(inChannels, outChannels));
            inChannels = outChannels;
        }
        modules.Add(new Flatten());
        foreach (int size in hidden)
        {
            modules.AddRange(layers.DropoutLayer());
            modules.AddRange(layers.Hidden(flattened, size));
            flattened = size;
        }
        modules.AddRange(layers.DropoutLayer());
        modules.Add(Layers.Output(flattened, classes));
        return new Sequential([.. modules]);
    }
}
