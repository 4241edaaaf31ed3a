using System.Buffers.Binary;

namespace Backprop.Data;

/// <summary>
/// Reads unsigned-byte IDX files, the format of MNIST and its relatives: a big-endian header
/// (magic number <c>0x000008NN</c> with NN the number of dimensions, then one 32-bit size per
/// dimension) followed by the bytes. Image files have 3 dimensions (N×H×W, grey) or 4 (N×C×H×W, channels first);
/// label files have 1. Gzip-compressed files are recognised by their content (bytes <c>1F 8B</c>), not their name.
/// </summary>
/// <remarks>
/// Memory follows the bytes a file really holds, never what its header claims: a plain file's declared size is
/// checked against its length before anything is allocated, and compressed or streamed data (gzip, a pipe) is read
/// into a buffer that grows as bytes arrive. With a limit, only the first examples are kept; the rest is still read
/// through (in a small buffer) so that a file shorter or longer than its header says is an error either way.
/// </remarks>
/// <example>
/// <code>
/// IdxImages images = IdxReader.ReadImages("data/mnist10k/train-images-idx3-ubyte.gz"); // 8000×28×28
/// byte[] labels = IdxReader.ReadLabels("data/mnist10k/train-labels-idx1-ubyte.gz");
/// IdxImages first = IdxReader.ReadImages("data/mnist10k/train-images-idx3-ubyte.gz", limit: 100);
/// </code>
/// </example>
public static class IdxReader
{
    /// <summary>Magic number of an image file: unsigned bytes, 3 dimensions (count, rows, columns).</summary>
    public const int ImagesMagic = 0x00000803;

    /// <summary>Magic number of an image file with channels: unsigned bytes, 4 dimensions (count, channels, rows, columns).</summary>
    public const int ChannelImagesMagic = 0x00000804;

    /// <summary>Magic number of a label file: unsigned bytes, 1 dimension (count).</summary>
    public const int LabelsMagic = 0x00000801;

    private const byte UnsignedByteType = 0x08;

    // The element types the format defines: unsigned and signed byte, short, int, float, double.
    private static readonly byte[] IdxElementTypes = [0x08, 0x09, 0x0B, 0x0C, 0x0D, 0x0E];

    // Data of unknown length (gzip, non-seekable streams) is read into a buffer that grows as bytes arrive, so a
    // header that lies about its size cannot make us allocate gigabytes up front. A seekable gzip file tells its
    // decompressed size in its last four bytes (ISIZE); taken as a hint, no larger than deflate's best ratio (1032:1)
    // allows, it sizes the buffer at once for a real file (the MNIST subset's 6.3 MB), where growing from a small
    // buffer left the outgrown ones behind in the training process's peak memory.
    private const int InitialCapacity = 1 << 20;

    private const long DeflateMaxRatio = 1032;

    private const int DrainBufferSize = 1 << 16;

    /// <summary>Reads an image file (magic <c>0x00000803</c> or <c>0x00000804</c>) from <paramref name="path"/>.</summary>
    /// <exception cref="DataFormatException">The file is not a well-formed IDX image file.</exception>
    public static IdxImages ReadImages(string path) => ReadImages(path, null);

    /// <summary>Reads the first <paramref name="limit"/> images (all when null) of an image file.</summary>
    /// <exception cref="DataFormatException">The file is not a well-formed IDX image file.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="limit"/> is negative.</exception>
    public static IdxImages ReadImages(string path, int? limit)
    {
        using var file = File.OpenRead(path);
        return ReadImages(file, path, limit);
    }

    /// <summary>Reads an image file (magic <c>0x00000803</c> or <c>0x00000804</c>) from a stream, which is left open.</summary>
    /// <param name="stream">The file's bytes, gzip-compressed or plain.</param>
    /// <param name="name">The name used in error messages, e.g. the file or resource name.</param>
    /// <exception cref="DataFormatException">The data is not a well-formed IDX image file.</exception>
    public static IdxImages ReadImages(Stream stream, string name) => ReadImages(stream, name, null);

    /// <summary>Reads the first <paramref name="limit"/> images (all when null) of an image file from a stream, which is left open.</summary>
    /// <param name="stream">The file's bytes, gzip-compressed or plain.</param>
    /// <param name="name">The name used in error messages, e.g. the file or resource name.</param>
    /// <param name="limit">Most images to keep, ≥ 0; null for all.</param>
    /// <exception cref="DataFormatException">The data is not a well-formed IDX image file.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="limit"/> is negative.</exception>
    public static IdxImages ReadImages(Stream stream, string name, int? limit)
    {
        var (dimensions, pixels) = Read(stream, name, [ImagesMagic, ChannelImagesMagic], limit);
        return dimensions.Length == 3
            ? new IdxImages(dimensions[0], 1, dimensions[1], dimensions[2], pixels)
            : new IdxImages(dimensions[0], dimensions[1], dimensions[2], dimensions[3], pixels);
    }

    /// <summary>Reads a label file (magic <c>0x00000801</c>) from <paramref name="path"/>.</summary>
    /// <exception cref="DataFormatException">The file is not a well-formed IDX label file.</exception>
    public static byte[] ReadLabels(string path) => ReadLabels(path, null);

    /// <summary>Reads the first <paramref name="limit"/> labels (all when null) of a label file.</summary>
    /// <exception cref="DataFormatException">The file is not a well-formed IDX label file.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="limit"/> is negative.</exception>
    public static byte[] ReadLabels(string path, int? limit)
    {
        using var file = File.OpenRead(path);
        return ReadLabels(file, path, limit);
    }

    /// <summary>Reads a label file (magic <c>0x00000801</c>) from a stream, which is left open.</summary>
    /// <param name="stream">The file's bytes, gzip-compressed or plain.</param>
    /// <param name="name">The name used in error messages, e.g. the file or resource name.</param>
    /// <exception cref="DataFormatException">The data is not a well-formed IDX label file.</exception>
    public static byte[] ReadLabels(Stream stream, string name) => ReadLabels(stream, name, null);

    /// <summary>Reads the first <paramref name="limit"/> labels (all when null) of a label file from a stream, which is left open.</summary>
    /// <param name="stream">The file's bytes, gzip-compressed or plain.</param>
    /// <param name="name">The name used in error messages, e.g. the file or resource name.</param>
    /// <param name="limit">Most labels to keep, ≥ 0; null for all.</param>
    /// <exception cref="DataFormatException">The data is not a well-formed IDX label file.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="limit"/> is negative.</exception>
    public static byte[] ReadLabels(Stream stream, string name, int? limit) => Read(stream, name, [LabelsMagic], limit).Data;

    private static (int[] Dimensions, byte[] Data) Read(Stream stream, string name, int[] acceptedMagics, int? limit)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(name);
        if (limit is int most) ArgumentOutOfRangeException.ThrowIfNegative(most, nameof(limit));
        var (content, isGzip, sizeHint) = Decompress(stream);
        var reader = new Reader(content, name, isGzip ? "decompressed" : null, sizeHint);
        try
        {
            return Parse(reader, acceptedMagics, limit);
        }
        catch (InvalidDataException e) when (isGzip)
        {
            throw reader.Error(e.Message);
        }
        finally
        {
            if (isGzip) content.Dispose();
        }
    }

    private static (Stream Content, bool IsGzip, long? SizeHint) Decompress(Stream stream)
    {
        Span<byte> head = stackalloc byte[2];
        long start = stream.CanSeek ? stream.Position : 0;
        int found = stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        bool isGzip = GzipMagic.Starts(head[..found]);
        Stream rewound;
        long? sizeHint = null;
        if (stream.CanSeek)
        {
            long compressed = stream.Length - start;
            if (isGzip && compressed >= 18)
            {
                Span<byte> trailer = stackalloc byte[4];
                stream.Position = stream.Length - 4;
                if (stream.ReadAtLeast(trailer, 4, throwOnEndOfStream: false) == 4)
                    sizeHint = Math.Min(BinaryPrimitives.ReadUInt32LittleEndian(trailer), compressed * DeflateMaxRatio);
            }
            stream.Position = start;
            rewound = stream;
        }
        else
        {
            rewound = new PrefixedStream(head[..found].ToArray(), stream);
        }
        return isGzip ? (new CheckedGzipStream(rewound, leaveOpen: true), true, sizeHint) : (rewound, false, null);
    }

    private static (int[] Dimensions, byte[] Data) Parse(Reader reader, int[] acceptedMagics, int? limit)
    {
        string kind = acceptedMagics[0] == LabelsMagic ? "label" : "image";
        string expected = string.Join(" or ", acceptedMagics.Select(m => $"0x{m:X8}"));
        int[] ranks = [.. acceptedMagics.Select(m => m & 0xFF)];

        Span<byte> magicBytes = stackalloc byte[4];
        reader.ReadHeader(magicBytes, 4 + 4 * ranks[0], kind);
        uint magic = BinaryPrimitives.ReadUInt32BigEndian(magicBytes);
        if ((magic & 0xFFFF0000) != 0 || !IdxElementTypes.Contains((byte)(magic >> 8)))
            throw reader.ErrorAt(0, $"bad magic number 0x{magic:X8}: not an IDX file (an IDX {kind} file starts with {expected})");
        if ((magic >> 8 & 0xFF) != UnsignedByteType)
            throw reader.ErrorAt(0, $"magic number 0x{magic:X8} declares element type 0x{magic >> 8 & 0xFF:X2}; only 0x08 (unsigned byte) is supported");
        int rank = (int)(magic & 0xFF);
        if (!ranks.Contains(rank))
            throw reader.ErrorAt(0, $"magic number 0x{magic:X8} declares {rank} dimension(s); an IDX {kind} file has {string.Join(" or ", ranks)} (magic {expected})");

        int headerLength = 4 + 4 * rank;
        Span<byte> sizes = stackalloc byte[4 * rank];
        reader.ReadHeader(sizes, headerLength, kind);
        var dimensions = new int[rank];
        for (int d = 0; d < rank; d++)
        {
            uint value = BinaryPrimitives.ReadUInt32BigEndian(sizes[(4 * d)..]);
            if (value > int.MaxValue)
                throw reader.ErrorAt(4 + 4 * d, $"dimension {d} is {value}, more than {int.MaxValue}");
            if (d > 0 && value == 0)
                throw reader.ErrorAt(4 + 4 * d, $"dimension {d} is 0: every image needs at least one channel, row and column");
            dimensions[d] = (int)value;
        }
        // Int128 because four sizes up to 2^31 overflow a long.
        Int128 perExample = 1;
        for (int d = 1; d < rank; d++) perExample *= dimensions[d];
        Int128 declared = perExample * dimensions[0];
        if (declared > Array.MaxLength)
            throw reader.ErrorAt(4, $"header declares {Describe(dimensions)} = {declared} bytes, more than the largest array ({Array.MaxLength} bytes)");

        int kept = Math.Min(dimensions[0], limit ?? int.MaxValue);
        var data = reader.ReadPayload((long)declared, (long)(perExample * kept), Describe(dimensions));
        dimensions[0] = kept;
        return (dimensions, data);
    }

    private static string Describe(int[] dimensions) => string.Join('×', dimensions);

    private sealed class Reader(Stream stream, string name, string? offsetNote, long? sizeHint)
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

        /// <summary>Keeps the first <paramref name="kept"/> of the <paramref name="declared"/> payload bytes and checks that exactly that many follow the header.</summary>
        public byte[] ReadPayload(long declared, long kept, string shape)
        {
            long dataStart = _position;
            long? available = stream.CanSeek ? stream.Length - stream.Position : null;
            if (available is { } known && known < declared)
                throw ErrorAt(dataStart + known, $"truncated data: header declares {shape} = {declared} bytes after the {dataStart}-byte header, found {known}");
            if (available is { } present && present > declared)
                throw ErrorAt(dataStart + declared, $"unexpected data after the {shape} = {declared} bytes that the header declares ({present - declared} more bytes)");

            long initial = available is not null ? kept : Math.Min(kept, sizeHint is { } hint ? Math.Max(hint - dataStart, 4096) : InitialCapacity);
            var data = new byte[initial];
            long filled = 0;
            while (filled < kept)
            {
                int n = stream.Read(data.AsSpan((int)filled));
                if (n == 0) break;
                filled += n;
                if (filled == data.Length && filled < kept)
                    Array.Resize(ref data, (int)Math.Min(kept, 2L * data.Length));
            }
            _position += filled;
            if (filled < kept)
                throw Error($"truncated data: header declares {shape} = {declared} bytes after the {dataStart}-byte header, found {filled}");
            if (available is not null) return data;

            // The rest of a stream whose length is unknown is read through, not kept: its size must match the header too.
            long rest = Drain(declared - kept + 1);
            _position += rest;
            if (kept + rest < declared)
                throw Error($"truncated data: header declares {shape} = {declared} bytes after the {dataStart}-byte header, found {kept + rest}");
            if (kept + rest > declared)
                throw ErrorAt(dataStart + declared, $"unexpected data after the {shape} = {declared} bytes that the header declares");
            return data;
        }

        private long Drain(long most)
        {
            var buffer = new byte[(int)Math.Min(most, DrainBufferSize)];
            long read = 0;
            while (read < most)
            {
                int n = stream.Read(buffer, 0, (int)Math.Min(buffer.Length, most - read));
                if (n == 0) break;
                read += n;
            }
            return read;
        }
    }
}
