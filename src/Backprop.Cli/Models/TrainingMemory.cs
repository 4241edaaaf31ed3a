using System.Globalization;
using Backprop.Cli.Training;

namespace Backprop.Cli.Models;

/// <summary>
/// The memory a <c>backprop train</c> network needs, counted from its shape before any of it is allocated, against
/// what the machine (or the container's limit) has: a network that cannot fit is refused with one line that gives
/// the parameter count and both amounts, instead of the machine swapping or the process dying part way.
/// </summary>
internal static class TrainingMemory
{
    /// <summary>
    /// float32 copies of every parameter during training: the weights, their gradients, up to two optimiser buffers
    /// (Adam's moments), the copy kept to roll back an interrupted epoch and the best epoch's copy for --patience.
    /// </summary>
    private const int ParameterCopies = 6;

    /// <summary>
    /// The most parameters the tool trains (documented in README): ten times its largest useful network, far past what
    /// a CPU trains in reasonable time, and low enough that a crafted data file (two 1024×1024 images make an MLP of
    /// 268 million weights) is refused in one line rather than taking gigabytes. The library has no such cap.
    /// </summary>
    public const long MaxParameters = 100_000_000;

    /// <summary>Each activation is kept for the backward pass and gets a gradient of its own.</summary>
    private const int ActivationCopies = 2;

    /// <summary>Refuses the network <paramref name="settings"/> describe for <paramref name="inputShape"/> and <paramref name="classes"/> when it cannot fit.</summary>
    /// <param name="settings">The network and the batch size.</param>
    /// <param name="inputShape">One example's shape.</param>
    /// <param name="classes">The outputs.</param>
    /// <param name="examples">Training examples: a batch holds no more than these.</param>
    /// <exception cref="InvalidOperationException">It needs more memory than is available, or a layer more weights than a tensor holds.</exception>
    public static void Check(TrainSettings settings, IReadOnlyList<int> inputShape, int classes, int examples)
    {
        var (parameters, largestLayer, activations) = Count(settings, inputShape, classes);
        double batch = Math.Min(settings.BatchSize, Math.Max(examples, 1));
        double needed = 4.0 * (parameters * ParameterCopies + batch * activations * ActivationCopies);
        long available = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
        string shape = settings.Architecture == "cnn" ? $"--channels {string.Join(',', settings.Channels)}" : "";
        if (settings.Hidden.Count > 0) shape = $"{shape} --hidden {string.Join(',', settings.Hidden)}".Trim();
        if (needed > available)
            throw new InvalidOperationException(Invariant(
                $"{shape}: the network would have {parameters:N0} parameters and training needs about {Bytes(needed)} (weights, gradients, optimiser state and a batch of {batch}'s activations); this machine has {Bytes(available)}. Use smaller layers or a smaller --batch-size."));
        if (largestLayer > int.MaxValue)
            throw new InvalidOperationException(Invariant($"{shape}: one layer would have {largestLayer:N0} weights; a tensor holds at most {int.MaxValue:N0}. Use smaller layers."));
        if (parameters > MaxParameters)
            throw new InvalidOperationException(Invariant(
                $"{shape}: the network for inputs of shape [{string.Join(", ", inputShape)}] would have {parameters:N0} parameters, more than the {MaxParameters:N0} backprop trains (it would need about {Bytes(needed)}). Use smaller layers, or smaller inputs."));
    }

    /// <summary>Parameters, the largest layer's weights, and the values one example's activations take, layer by layer as Mlp and Cnn build them.</summary>
    private static (double Parameters, double LargestLayer, double Activations) Count(TrainSettings settings, IReadOnlyList<int> inputShape, int classes)
    {
        double parameters = 0, largest = 0, activations = 0;
        double width = inputShape.Aggregate(1.0, (product, size) => product * size);
        if (settings.Architecture == "cnn")
        {
            double channels = inputShape[0], height = inputShape[1], breadth = inputShape[2];
            foreach (int outChannels in settings.Channels)
            {
                double weights = 9 * channels * outChannels;
                largest = Math.Max(largest, weights);
                parameters += weights + outChannels * (settings.Layers.BatchNorm ? 3 : 1);
                // The unfolded 3×3 patches, the convolution's output, its activation and the pooled map.
                activations += height * breadth * (9 * channels + 3 * outChannels);
                (channels, height, breadth) = (outChannels, Math.Floor(height / 2), Math.Floor(breadth / 2));
                activations += channels * height * breadth;
            }
            width = channels * height * breadth;
        }
        foreach (int size in settings.Hidden.Append(classes))
        {
            double weights = width * size;
            largest = Math.Max(largest, weights);
            parameters += weights + size * (settings.Layers.BatchNorm && size != classes ? 3 : 1);
            // The Dense output, its normalised and activated forms, and dropout's mask and output.
            activations += size * 4;
            width = size;
        }
        return (parameters, largest, activations);
    }

    private static string Bytes(double bytes) => bytes >= 1 << 30
        ? (bytes / (1 << 30)).ToString("F1", CultureInfo.InvariantCulture) + " GB"
        : (bytes / (1 << 20)).ToString("F0", CultureInfo.InvariantCulture) + " MB";

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
