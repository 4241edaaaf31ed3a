namespace Backprop.Images;

/// <summary>A file or class folder left out with <see cref="ImageFolderOptions.SkipBadImages"/>, and why.</summary>
/// <param name="Path">The file or folder.</param>
/// <param name="Problem">What is wrong with it, e.g. "truncated or corrupt image data".</param>
public sealed record SkippedImage(string Path, string Problem)
{
    /// <inheritdoc />
    public override string ToString() => $"{Path}: {Problem}";
}
