namespace Backprop.Images;

/// <summary>
/// Random changes to training images, drawn from a seed per (epoch, image) so a run is reproducible; validation and
/// prediction never augment. Combine with <c>|</c>.
/// </summary>
[Flags]
public enum ImageAugmentation
{
    /// <summary>No augmentation (the default).</summary>
    None = 0,

    /// <summary>Mirror left to right with probability ½.</summary>
    Flip = 1,

    /// <summary>Pad 4 black pixels on every side and crop back to the image size at a random place (a shift of up to ±4 pixels with black filling in).</summary>
    Crop = 2,

    /// <summary>Move by up to ±10% of the width and height (at least 1 pixel), the edge pixels repeated into the gap (Keras's <c>fill_mode="nearest"</c>).</summary>
    Shift = 4,
}
