using System.IO.Compression;

namespace Backprop.Data;

/// <summary>
/// A gzip-compressed table's text: a corrupt stream fails wherever the table happens to be read (kinds, statistics, rows)
/// with a one-line error naming the file, not the decompressor's bare "unsupported compression method".
/// </summary>
internal sealed class GzipTableStream(Stream file, string path) : ReadOnlyForwardStream
{
    private readonly GZipStream _inner = new(file, CompressionMode.Decompress);

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

    protected override void Dispose(bool disposing)
    {
        if (disposing) _inner.Dispose();
        base.Dispose(disposing);
    }
}
