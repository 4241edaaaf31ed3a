namespace Backprop.Data;

/// <summary>
/// A gzip-compressed table's text: corrupt or truncated data fails wherever the table happens to be read (kinds,
/// statistics, rows) with a one-line error naming the file, not the decompressor's bare "unsupported compression
/// method" nor, for a cut file, an error about what the cut text lacks.
/// </summary>
internal sealed class GzipTableStream(Stream file, string path) : ReadOnlyForwardStream
{
    private readonly CheckedGzipStream _inner = new(file, leaveOpen: false);

    public override int Read(Span<byte> buffer)
    {
        try
        {
            return _inner.Read(buffer);
        }
        catch (InvalidDataException e)
        {
            throw DataFormatException.InFile(path, e.Message);
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) _inner.Dispose();
        base.Dispose(disposing);
    }
}
