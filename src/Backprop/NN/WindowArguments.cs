using System.Globalization;
using System.Text.Json.Nodes;

namespace Backprop.NN;

/// <summary>
/// Construction-time checks and descriptions of the (height, width) arguments that convolution and
/// pooling layers share, so each layer quotes bad values and describes itself the same way.
/// </summary>
internal static class WindowArguments
{
    /// <summary>Throws unless both values are at least <paramref name="minimum"/>; the message names the layer.</summary>
    public static void RequireAtLeast(string layer, string name, (int Height, int Width) value, int minimum)
    {
        if (value.Height < minimum || value.Width < minimum)
            throw new ArgumentOutOfRangeException(
                name, value, $"{layer}: {name} must be ≥ {minimum} along height and width, got {Describe(value)}.");
    }

    /// <summary>Throws unless the padding is at most half the kernel, PyTorch's rule for pooling.</summary>
    public static void RequireHalfKernelPadding(string layer, (int Height, int Width) kernelSize, (int Height, int Width) padding)
    {
        if (padding.Height > kernelSize.Height / 2 || padding.Width > kernelSize.Width / 2)
            throw new ArgumentOutOfRangeException(
                nameof(padding), padding,
                $"{layer}: padding must be at most half the kernel size {Describe(kernelSize)}, got {Describe(padding)}.");
    }

    /// <summary>The pair as a model file writes it, <c>[height, width]</c>.</summary>
    public static JsonArray ToJson((int Height, int Width) value) => [value.Height, value.Width];

    /// <summary><c>3</c> for a square pair, <c>(3, 5)</c> otherwise.</summary>
    public static string Describe((int Height, int Width) value) => value.Height == value.Width
        ? value.Height.ToString(CultureInfo.InvariantCulture)
        : string.Create(CultureInfo.InvariantCulture, $"({value.Height}, {value.Width})");
}
