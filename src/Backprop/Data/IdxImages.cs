namespace Backprop.Data;

/// <summary>
/// Images read from an IDX file: <see cref="Count"/> images of <see cref="Channels"/>×<see cref="Rows"/>×<see cref="Columns"/>
/// bytes (one channel for the usual N×H×W files), stored image after image, channels first, each channel row-major.
/// </summary>
/// <example>
/// <code>
/// var images = IdxReader.ReadImages("data/mnist10k/t10k-images-idx3-ubyte.gz");
/// byte centre = images.Image(0)[14 * images.Columns + 14];
/// </code>
/// </example>
public sealed class IdxImages
{
    /// <summary>Wraps one-channel pixels that are already in memory.</summary>
    /// <param name="count">Number of images, ≥ 0.</param>
    /// <param name="rows">Rows per image, ≥ 1.</param>
    /// <param name="columns">Columns per image, ≥ 1.</param>
    /// <param name="pixels">count × rows × columns bytes; kept, not copied.</param>
    public IdxImages(int count, int rows, int columns, byte[] pixels)
        : this(count, 1, rows, columns, pixels)
    {
    }

    /// <summary>Wraps pixels with channels that are already in memory, shape [count, channels, rows, columns].</summary>
    /// <param name="count">Number of images, ≥ 0.</param>
    /// <param name="channels">Channels per image, ≥ 1.</param>
    /// <param name="rows">Rows per image, ≥ 1.</param>
    /// <param name="columns">Columns per image, ≥ 1.</param>
    /// <param name="pixels">count × channels × rows × columns bytes; kept, not copied.</param>
    public IdxImages(int count, int channels, int rows, int columns, byte[] pixels)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfLessThan(channels, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(rows, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(columns, 1);
        ArgumentNullException.ThrowIfNull(pixels);
        if ((long)count * channels * rows * columns != pixels.Length)
            throw new ArgumentException(
                $"pixels has {pixels.Length} bytes; {count} images of {channels}×{rows}×{columns} need {(long)count * channels * rows * columns}.",
                nameof(pixels));
        Count = count;
        Channels = channels;
        Rows = rows;
        Columns = columns;
        Pixels = pixels;
    }

    /// <summary>Number of images.</summary>
    public int Count { get; }

    /// <summary>Channels of each image: 1 for an N×H×W file.</summary>
    public int Channels { get; }

    /// <summary>Rows (height) of each image.</summary>
    public int Rows { get; }

    /// <summary>Columns (width) of each image.</summary>
    public int Columns { get; }

    /// <summary>Bytes per image: <see cref="Channels"/> × <see cref="Rows"/> × <see cref="Columns"/>.</summary>
    public int PixelsPerImage => Channels * Rows * Columns;

    /// <summary>All pixels, shape [Count, Channels, Rows, Columns], 0 = background, 255 = ink for MNIST.</summary>
    public byte[] Pixels { get; }

    /// <summary>The pixels of image <paramref name="index"/>, shape [Channels, Rows, Columns].</summary>
    public ReadOnlySpan<byte> Image(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
        return Pixels.AsSpan(index * PixelsPerImage, PixelsPerImage);
    }

    /// <summary>
    /// The pixels as floats scaled to [0, 1] (<c>pixel / 255</c>), shape [Count, Channels × Rows × Columns]:
    /// the usual input of a network.
    /// </summary>
    public float[] ToScaledFloats()
    {
        var scaled = new float[Pixels.Length];
        for (int i = 0; i < Pixels.Length; i++) scaled[i] = Pixels[i] / 255f;
        return scaled;
    }
}
