namespace Backprop.Data;

/// <summary>
/// Greyscale images read from an IDX file: <see cref="Count"/> images of
/// <see cref="Rows"/>×<see cref="Columns"/> bytes, stored image after image, row-major.
/// </summary>
/// <example>
/// <code>
/// var images = IdxReader.ReadImages("data/mnist10k/t10k-images-idx3-ubyte.gz");
/// byte centre = images.Image(0)[14 * images.Columns + 14];
/// </code>
/// </example>
public sealed class IdxImages
{
    /// <summary>Wraps pixels that are already in memory.</summary>
    /// <param name="count">Number of images, ≥ 0.</param>
    /// <param name="rows">Rows per image, ≥ 1.</param>
    /// <param name="columns">Columns per image, ≥ 1.</param>
    /// <param name="pixels">count × rows × columns bytes; kept, not copied.</param>
    public IdxImages(int count, int rows, int columns, byte[] pixels)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfLessThan(rows, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(columns, 1);
        ArgumentNullException.ThrowIfNull(pixels);
        if ((long)count * rows * columns != pixels.Length)
            throw new ArgumentException(
                $"pixels has {pixels.Length} bytes; {count} images of {rows}×{columns} need {(long)count * rows * columns}.",
                nameof(pixels));
        Count = count;
        Rows = rows;
        Columns = columns;
        Pixels = pixels;
    }

    /// <summary>Number of images.</summary>
    public int Count { get; }

    /// <summary>Rows (height) of each image.</summary>
    public int Rows { get; }

    /// <summary>Columns (width) of each image.</summary>
    public int Columns { get; }

    /// <summary>Bytes per image: <see cref="Rows"/> × <see cref="Columns"/>.</summary>
    public int PixelsPerImage => Rows * Columns;

    /// <summary>All pixels, shape [Count, Rows, Columns], 0 = background, 255 = ink for MNIST.</summary>
    public byte[] Pixels { get; }

    /// <summary>The pixels of image <paramref name="index"/>, shape [Rows, Columns].</summary>
    public ReadOnlySpan<byte> Image(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
        return Pixels.AsSpan(index * PixelsPerImage, PixelsPerImage);
    }

    /// <summary>
    /// The pixels as floats scaled to [0, 1] (<c>pixel / 255</c>), shape [Count, Rows × Columns]:
    /// the usual input of a network.
    /// </summary>
    public float[] ToScaledFloats()
    {
        var scaled = new float[Pixels.Length];
        for (int i = 0; i < Pixels.Length; i++) scaled[i] = Pixels[i] / 255f;
        return scaled;
    }
}
