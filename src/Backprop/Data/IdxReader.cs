using System.Buffers.Binary;
using System.IO.Compression;

namespace Backprop.Data;

/// <summary>
/// Reads unsigned-byte IDX files, the format of MNIST and its relatives: a big-endian header
/// (magic number <c>0x000008NN</c> with NN the number of dimensions, then one 32-bit size per
/// dimension) followed by the bytes. Gzip-compressed files are recognised by their content
/// (bytes <c>1F 8B</c>), not their name.
/// </summary>
/// <example>
/// <code>
/// IdxImages images = IdxReader.ReadImages("data/mnist10k/train-images-idx3-ubyte.gz"); // 8000×28×28
/// byte[] labels = IdxReader.ReadLabels("data/mnist10k/train-labels-idx1-ubyte.gz");
/// </code>
/// </example>
public static class IdxReader
{
    /// <summary>Magic number of an image file: unsigned bytes, 3 dimensions (count, rows, columns).</summary>
    public const int ImagesMagic = 0x00000803;

    /// <summary>Magic number of a label file: unsigned bytes, 1 dimension (count).</summary>
    public const int LabelsMagic = 0x00000801;

    private const byte UnsignedByteType = 0x08;

    // Data of unknown length (gzip, non-seekable streams) is read into a buffer that grows as
    // bytes arrive, so a header that lies about its size cannot make us allocate gigabytes up front.
    // 8 MB holds the MNIST 10k subset's images (6.3 MB) in one go: growing from a smaller buffer left the
    // outgrown ones behind, and those counted in the training process's peak memory.
    private const int InitialCapacity = 1 << 23;

    /// <summary>Reads an image file (magic <c>0x00000803</c>) from <paramref name="path"/>.</summary>
    /// <exception cref="DataFormatException">The file is not a well-formed IDX image file.</exception>
    public static IdxImages ReadImages(string path)
    {
        using var file = File.OpenRead(path);
        return ReadImages(file, path);
    }

    /// <summary>Reads an image file (magic <c>0x00000803</c>) from a stream, which is left open.</summary>
    /// <param name="stream">The file's bytes, gzip-compressed or plain.</param>
    /// <param name="name">The name used in error messages, e.g. the file or resource name.</param>
    /// <exception cref="DataFormatException">The data is not a well-formed IDX image file.</exception>
    public static IdxImages ReadImages(Stream stream, string name)
    {
        var (dimensions, pixels) = Read(stream, name, ImagesMagic);
        return new IdxImages(dimensions[0], dimensions[1], dimensions[2], pixels);
    }

    /// <summary>Reads a label file (magic <c>0x00000801</c>) from <paramref name="path"/>.</summary>
    /// <exception cref="DataFormatException">The file is not a well-formed IDX label file.</exception>
    public static byte[] ReadLabels(string path)
    {
        using var file = File.OpenRead(path);
        return ReadLabels(file, path);
    }

    /// <summary>Reads a label file (magic <c>0x00000801</c>) from a stream, which is left open.</summary>
    /// <param name="stream">The file's bytes, gzip-compressed or plain.</param>
    /// <param name="name">The name used in error messages, e.g. the file or resource name.</param>
    /// <exception cref="DataFormatException">The data is not a well-formed IDX label file.</exception>
    public static byte[] ReadLabels(Stream stream, string name) => Read(stream, name, LabelsMagic).Data;

    private static (int[] Dimensions, byte[] Data) Read(Stream stream, string name, int expectedMagic)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(name);
        var (content, isGzip) = Decompress(stream);
        var reader = new Reader(content, name, isGzip ? "decompressed" : null);
        try
        {
            return Parse(reader, expectedMagic);
        }
        catch (InvalidDataException e) when (isGzip)
        {
            throw reader.Error($"gzip data is corrupt: {e.Message}");
        }
        finally
        {
            if (isGzip) content.Dispose();
        }
    }

    private static (Stream Content, bool IsGzip) Decompress(Stream stream)
    {
        Span<byte> head = stackalloc byte[2];
        long start = stream.CanSeek ? stream.Position : 0;
        int found = stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        Stream rewound;
        if (stream.CanSeek)
        {
            stream.Position = start;
            rewound = stream;
        }
        else
        {
            rewound = new PrefixedStream(head[..found].ToArray(), stream);
        }
        bool isGzip = found == 2 && head[0] == 0x1F && head[1] == 0x8B;
        return isGzip ? (new GZipStream(rewound, CompressionMode.Decompress, leaveOpen: true), true) : (rewound, false);
    }

    private static (int[] Dimensions, byte[] Data) Parse(Reader reader, int expectedMagic)
    {
        int expectedRank = expectedMagic & 0xFF;
        string kind = expectedMagic == ImagesMagic ? "image" : "label";
        int headerLength = 4 + 4 * expectedRank;

        Span<byte> header = stackalloc byte[headerLength];
        reader.ReadHeader(header[..4], headerLength, kind);
        uint magic = BinaryPrimitives.ReadUInt32BigEndian(header);
        if ((magic & 0xFFFF0000) != 0)
            throw reader.ErrorAt(0, $"bad magic number 0x{magic:X8}: not an IDX file (an IDX {kind} file starts with 0x{expectedMagic:X8})");
        if ((magic >> 8 & 0xFF) != UnsignedByteType)
            throw reader.ErrorAt(0, $"magic number 0x{magic:X8} declares element type 0x{magic >> 8 & 0xFF:X2}; only 0x08 (unsigned byte) is supported");
        if ((magic & 0xFF) != expectedRank)
            throw reader.ErrorAt(0, $"magic number 0x{magic:X8} declares {magic & 0xFF} dimension(s); an IDX {kind} file has {expectedRank} (magic 0x{expectedMagic:X8})");

        reader.ReadHeader(header[4..], headerLength, kind);
        var dimensions = new int[expectedRank];
        for (int d = 0; d < expectedRank; d++)
        {
            uint value = BinaryPrimitives.ReadUInt32BigEndian(header[(4 + 4 * d)..]);
            if (value > int.MaxValue)
                throw reader.ErrorAt(4 + 4 * d, $"dimension {d} is {value}, more than {int.MaxValue}");
            if (d > 0 && value == 0)
                throw reader.ErrorAt(4 + 4 * d, $"dimension {d} is 0: images must have at least one row and column");
            dimensions[d] = (int)value;
        }
        // Int128 because three sizes up to 2^31 overflow a long.
        Int128 size = 1;
        foreach (int value in dimensions) size *= value;
        if (size > Array.MaxLength)
            throw reader.ErrorAt(4, $"header declares {Describe(dimensions)} = {size} bytes, more than the largest array ({Array.MaxLength} bytes)");

        return (dimensions, reader.ReadPayload((long)size, Describe(dimensions)));
    }

    private static string Describe(int[] dimensions) => string.Join('×', dimensions);

    private sealed class Reader(Stream stream, string name, string? offsetNote)
    {
        private long _position;

        public DataFormatException ErrorAt(long offset, string problem) =>
            DataFormatException.AtOffset(name, offset, offsetNote, problem);

        public DataFormatException Error(string problem) => ErrorAt(_position, problem);

        public void ReadHeader(Span<byte> destination, int headerLength, string kind)
        {
            int found = stream.ReadAtLeast(destination, destination.Length, throwOnEndOfStream: false);
            _position += found;
            if (found < destination.Length)
                throw Error($"truncated header: an IDX {kind} file's header is {headerLength} bytes, found {_position}");
        }

        public byte[] ReadPayload(long size, string shape)
        {
            long dataStart = _position;
            long? available = stream.CanSeek ? stream.Length - stream.Position : null;
            if (available is { } known && known < size)
                throw ErrorAt(dataStart + known, $"truncated data: header declares {shape} = {size} bytes after the {dataStart}-byte header, found {known}");

            var data = new byte[available is null ? Math.Min(size, InitialCapacity) : size];
            long filled = 0;
            while (filled < size)
            {
                int n = stream.Read(data.AsSpan((int)filled));
                if (n == 0) break;
                filled += n;
                if (filled == data.Length && filled < size)
                    Array.Resize(ref data, (int)Math.Min(size, 2L * data.Length));
            }
            _position += filled;
            if (filled < size)
                throw Error($"truncated data: header declares {shape} = {size} bytes after the {dataStart}-byte header, found {filled}");

            Span<byte> probe = stackalloc byte[1];
            if (stream.Read(probe) > 0)
                throw Error($"unexpected data after the {shape} = {size} bytes that the header declares");
            return data;
        }
    }
}
