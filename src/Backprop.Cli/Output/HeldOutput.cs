namespace Backprop.Cli.Output;

/// <summary>
/// A command's stdout held back until the command has succeeded: a run that fails half-way (a bad image in a later
/// batch, a bad row near a table's end) prints its error alone, never a header and some rows that a pipeline would take
/// for the whole answer, just as a failed run leaves an <c>--out</c> file as it was.
/// </summary>
/// <remarks>
/// The text waits in a temporary file, not in memory, so a large folder or table still runs in bounded memory. On Unix
/// the file is unlinked as soon as it is open, so even a process ended at once by Ctrl+C leaves nothing behind; Windows
/// deletes it when its handle closes.
/// </remarks>
internal static class HeldOutput
{
    private const int BufferSize = 64 * 1024;

    /// <summary>Runs <paramref name="write"/> on a temporary file, then copies what it wrote to <paramref name="output"/>; returns what it returns.</summary>
    public static T Write<T>(TextWriter output, Func<TextWriter, T> write)
    {
        string path = Path.GetTempFileName();
        FileStream held;
        try
        {
            held = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.None, BufferSize, OperatingSystem.IsWindows() ? FileOptions.DeleteOnClose : FileOptions.None);
        }
        catch
        {
            File.Delete(path);
            throw;
        }
        using (held)
        {
            if (!OperatingSystem.IsWindows()) File.Delete(path);
            T result;
            using (var writer = new StreamWriter(held, leaveOpen: true)) result = write(writer);
            held.Position = 0;
            using var reader = new StreamReader(held, leaveOpen: true);
            var buffer = new char[BufferSize];
            for (int read; (read = reader.Read(buffer)) > 0;) output.Write(buffer, 0, read);
            return result;
        }
    }
}
