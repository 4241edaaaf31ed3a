namespace Backprop.NN;

/// <summary>
/// Builds the usual small image classifier for images of any size and channel count: one block per entry of
/// <c>channels</c> — a 3×3 convolution (padding 1, so it keeps the size), ReLU, a 2×2 max pool (halving height and
/// width) — then <see cref="Flatten"/>, optional dropout, and a Dense layer whose width comes from the input's C×H×W.
/// Layers start from their own (PyTorch's) initialisation, drawn from the thread's <see cref="Rng"/>.
/// </summary>
/// <example>
/// <code>
/// var model = ConvNet.Create([3, 32, 48], channels: [16, 32], classes: 5);   // … Flatten, Dense(32·8·12, 5)
/// </code>
/// </example>
public static class ConvNet
{
    /// <summary>Builds the network.</summary>
    /// <param name="inputShape">One example's shape, [channels, height, width].</param>
    /// <param name="channels">Output channels of the convolutions, one block each (at least one).</param>
    /// <param name="classes">Outputs of the last layer, ≥ 1.</param>
    /// <param name="dropout">Dropout probability before the Dense layer, in [0, 1); 0 for none.</param>
    /// <param name="inputLayer">A first layer, e.g. an image folder's <see cref="ChannelNormalize"/>; null for none.</param>
    /// <exception cref="ArgumentException">The shape is not [C, H, W] of sizes ≥ 1, a size is out of range, or the images are too small for the blocks.</exception>
    public static Sequential Create(IReadOnlyList<int> inputShape, IReadOnlyList<int> channels, int classes, double dropout = 0, Module? inputLayer = null)
    {
        int flattened = FlattenedSize(inputShape, channels);
        ArgumentOutOfRangeException.ThrowIfLessThan(classes, 1);
        if (!(dropout >= 0 && dropout < 1)) throw new ArgumentOutOfRangeException(nameof(dropout), dropout, $"ConvNet: dropout must be in [0, 1), got {dropout}.");
        var modules = new List<Module>();
        if (inputLayer is not null) modules.Add(inputLayer);
        int inChannels = inputShape[0];
        foreach (int outChannels in channels)
        {
            modules.AddRange([new Conv2d(inChannels, outChannels, kernelSize: 3, padding: 1), new ReLU(), new MaxPool2d(2)]);
            inChannels = outChannels;
        }
        modules.Add(new Flatten());
        if (dropout > 0) modules.Add(new Dropout(dropout));
        modules.Add(new Dense(flattened, classes));
        return new Sequential([.. modules]);
    }

    /// <summary>
    /// The width of the flattened features after the blocks: last channels × ⌊H / 2^blocks⌋ × ⌊W / 2^blocks⌋, the
    /// Dense head's input.
    /// </summary>
    /// <exception cref="ArgumentException">The shape is not [C, H, W] of sizes ≥ 1, there are no blocks or a block has
    /// fewer than 1 channel, or the images are too small: each block's pool halves height and width, which must stay ≥ 1.</exception>
    public static int FlattenedSize(IReadOnlyList<int> inputShape, IReadOnlyList<int> channels)
    {
        ArgumentNullException.ThrowIfNull(inputShape);
        ArgumentNullException.ThrowIfNull(channels);
        if (inputShape.Count != 3 || inputShape.Any(d => d < 1))
            throw new ArgumentException($"ConvNet: the input shape must be [channels, height, width] of sizes ≥ 1, got [{string.Join(", ", inputShape)}].", nameof(inputShape));
        if (channels.Count == 0 || channels.Count > 30 || channels.Any(c => c < 1))
            throw new ArgumentException($"ConvNet: give 1 to 30 blocks of at least 1 channel, got [{string.Join(", ", channels)}].", nameof(channels));
        int height = inputShape[1] >> channels.Count, width = inputShape[2] >> channels.Count;
        if (height < 1 || width < 1)
            throw new ArgumentException($"images of {inputShape[2]}×{inputShape[1]} pixels are too small for {channels.Count} convolution blocks: each halves the height "
                + $"and width (2×2 max pool), which needs at least {1 << channels.Count}×{1 << channels.Count}; use fewer blocks or larger images.", nameof(inputShape));
        return (int)Math.Min(int.MaxValue, (long)channels[^1] * height * width);
    }
}
