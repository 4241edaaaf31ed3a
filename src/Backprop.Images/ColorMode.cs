namespace Backprop.Images;

/// <summary>The channels an image becomes (Keras's <c>color_mode</c>).</summary>
public enum ColorMode
{
    /// <summary>One channel: luma Y = 0.299 R + 0.587 G + 0.114 B (ITU-R BT.601, as Pillow's "L").</summary>
    Gray,

    /// <summary>Three channels, red, green, blue.</summary>
    Rgb,
}
