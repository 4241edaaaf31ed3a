using System.IO.Compression;

namespace Backprop.Data;

/// <summary>
/// A gzip-compressed table's text: a corrupt stream fails wherever the table happens to be read (kinds, statistics, rows)
/// with a one-line error naming the file, not the decompressor's bare "unsupported compression method".
/// </summary>
internal sealed class GzipTableStream(Stream file, string path) : Stream
{
    private readonly GZipStream _inner = new(file, CompressionMode.Decompress);

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        try
        {
            return _inner.Read(buffer);
        }
        catch (InvalidDataException e)
        {
            throw DataFormatException.InFile(path, $"gzip data is corrupt: {e.Message}");
        }
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing) _inner.Dispose();
        base.Dispose(disposing);
    }
}
