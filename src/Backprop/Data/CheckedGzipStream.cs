using System.IO.Compression;

namespace Backprop.Data;

/// <summary>
/// gzip data decompressed (one member or several concatenated, as <see cref="GZipStream"/> reads them) that fails when
/// the data is cut short. GZipStream takes the end of its input for the end of the data even inside a member, so a file
/// truncated by a copy or a download would read as a shorter one, and the error would be about what the cut text lacks.
/// Every failure is an <see cref="InvalidDataException"/> whose message says what is wrong, for the reader to put after
/// the file's name.
/// </summary>
/// <remarks>
/// GZipStream does not tell whether its last member ended (its trailer read and checked): its strict mode is a
/// process-wide switch, read once, that a library must not set for its host. So when the compressed data ends, the
/// decompressor is given one more byte. After a complete member, a byte that cannot start another member is trailing
/// data, which GZipStream ignores and then asks for nothing more; inside a member it is taken as the member's data, so
/// the decompressor produces output from it, fails on it, or asks for more input — each of which means the member had
/// not ended. A complete member's CRC-32 and length are checked by the decompressor itself.
/// </remarks>
internal sealed class CheckedGzipStream : ReadOnlyForwardStream
{
    private const string Truncated = "gzip data is truncated: the file ends inside a compressed member (was it cut short in a copy or a download?)";

    private readonly ProbedEnd _compressed;
    private readonly GZipStream _decompressed;

    public CheckedGzipStream(Stream compressed, bool leaveOpen)
    {
        _compressed = new ProbedEnd(compressed, leaveOpen);
        _decompressed = new GZipStream(_compressed, CompressionMode.Decompress);
    }

    public override int Read(Span<byte> buffer)
    {
        int read;
        try
        {
            read = _decompressed.Read(buffer);
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException(_compressed.ProbeGiven ? Truncated : $"gzip data is corrupt: {e.Message}", e);
        }
        // Output made from the probe byte, or a wish for input after it, is a member that had not ended.
        if (_compressed.ProbeGiven && (read > 0 || _compressed.AskedAfterProbe)) throw new InvalidDataException(Truncated);
        return read;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) _decompressed.Dispose();
        base.Dispose(disposing);
    }

    /// <summary>The compressed bytes, then one probe byte, then nothing, noting whether more was asked for after the probe.</summary>
    private sealed class ProbedEnd(Stream compressed, bool leaveOpen) : ReadOnlyForwardStream
    {
        // Not 0x1F, the first byte of gzip's magic, which GZipStream would take for the start of another member.
        private const byte Probe = 0x00;

        public bool ProbeGiven { get; private set; }

        public bool AskedAfterProbe { get; private set; }

        public override int Read(Span<byte> buffer)
        {
            if (buffer.IsEmpty) return 0;
            if (ProbeGiven)
            {
                AskedAfterProbe = true;
                return 0;
            }
            int read = compressed.Read(buffer);
            if (read > 0) return read;
            ProbeGiven = true;
            buffer[0] = Probe;
            return 1;
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing && !leaveOpen) compressed.Dispose();
            base.Dispose(disposing);
        }
    }
}
