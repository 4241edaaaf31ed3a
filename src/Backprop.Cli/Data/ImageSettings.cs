using Backprop.Images;

namespace Backprop.Cli.Data;

/// <summary>How <c>backprop train</c> was asked to prepare an image folder; nulls take the folder's defaults.</summary>
/// <param name="Size">The size to resize to (width, height), or null for the size the images share (else 32×32).</param>
/// <param name="ColorMode">Grey or RGB, or null for grey when every file is grey.</param>
/// <param name="Augmentation">Training-time augmentation.</param>
/// <param name="SkipBadImages">Leave out unreadable files with a warning instead of stopping.</param>
internal sealed record ImageSettings((int Width, int Height)? Size, ColorMode? ColorMode, ImageAugmentation Augmentation, bool SkipBadImages)
{
    public static readonly ImageSettings None = new(null, null, ImageAugmentation.None, false);
}
