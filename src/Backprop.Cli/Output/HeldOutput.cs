namespace Backprop.Cli.Output;

/// <summary>
/// A command's stdout held back until the command has succeeded: a run that fails half-way (a bad image in a later
/// batch, a bad row near a table's end) prints its error alone, never a header and some rows that a pipeline would take
/// for the whole answer, just as a failed run leaves an <c>--out</c> file as it was.
/// </summary>
/// <remarks>
/// The text waits in memory up to <see cref="MemoryBytes"/>, then in a temporary file, so a large folder or table still
/// runs in bounded memory and a small one needs no writable temporary folder. On Unix the file is unlinked as soon as it
/// is open, so even a process ended at once by Ctrl+C leaves nothing behind; Windows deletes it when its handle closes.
/// </remarks>
internal static class HeldOutput
{
    /// <summary>Bytes held in memory before the output moves to a temporary file.</summary>
    internal const int MemoryBytes = 8 * 1024 * 1024;

    private const int BufferSize = 64 * 1024;

    /// <summary>Runs <paramref name="write"/> on the held text, then copies what it wrote to <paramref name="output"/>; returns what it returns.</summary>
    /// <exception cref="IOException">The output outgrew memory and no temporary file could be made (the message says where and what to do).</exception>
    public static T Write<T>(TextWriter output, Func<TextWriter, T> write)
    {
        using var held = new SpillStream();
        T result;
        using (var writer = new StreamWriter(held, leaveOpen: true)) result = write(writer);
        held.Position = 0;
        using var reader = new StreamReader(held, leaveOpen: true);
        var buffer = new char[BufferSize];
        for (int read; (read = reader.Read(buffer)) > 0;) output.Write(buffer, 0, read);
        return result;
    }

    /// <summary>Bytes in memory until they pass <see cref="MemoryBytes"/>, then in an unlinked temporary file; written, then read once from the start.</summary>
    private sealed class SpillStream : Stream
    {
        private Stream _store = new MemoryStream();

        public override bool CanRead => true;

        public override bool CanSeek => true;

        public override bool CanWrite => true;

        public override long Length => _store.Length;

        public override long Position
        {
            get => _store.Position;
            set => _store.Position = value;
        }

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            if (_store is MemoryStream memory && memory.Length + buffer.Length > MemoryBytes) Spill(memory);
            _store.Write(buffer);
        }

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer) => _store.Read(buffer);

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override void Flush() => _store.Flush();

        public override long Seek(long offset, SeekOrigin origin) => _store.Seek(offset, origin);

        public override void SetLength(long value) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing) _store.Dispose();
            base.Dispose(disposing);
        }

        private void Spill(MemoryStream memory)
        {
            var file = OpenTemporaryFile();
            memory.Position = 0;
            memory.CopyTo(file);
            memory.Dispose();
            _store = file;
        }

        private static FileStream OpenTemporaryFile()
        {
            string path;
            try
            {
                path = Path.GetTempFileName();
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new IOException($"the output is held until every row is done, and past {MemoryBytes / (1024 * 1024)} MB it waits in a temporary file, but none could be made in {Path.GetTempPath()} ({e.Message}); set TMPDIR to a writable folder or write the output with --out", e);
            }

            try
            {
                var file = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.None, BufferSize, OperatingSystem.IsWindows() ? FileOptions.DeleteOnClose : FileOptions.None);
                if (!OperatingSystem.IsWindows()) File.Delete(path);
                return file;
            }
            catch
            {
                File.Delete(path);
                throw;
            }
        }
    }
}
