namespace Backprop.IO;

/// <summary>
/// Writes a file so that readers see either the old content or the complete new one, never a part, and so that a
/// failed write (a full disk, a read-only folder, an exception while writing) leaves the old file as it was. Every file
/// the library writes (model files, checkpoints, ONNX) goes through here.
/// </summary>
/// <remarks>
/// A path that is a symbolic link is written through: the link's final target is replaced (by a rename in the target's
/// own folder), never the link. A device or a FIFO (<c>/dev/null</c>, a named pipe) cannot be replaced, so it is
/// written in place. A folder is refused.
/// <code>
/// AtomicFile.Write("scores.csv", stream => { using var writer = new StreamWriter(stream); writer.WriteLine("a,b"); });
/// </code>
/// </remarks>
public static class AtomicFile
{
    /// <summary>
    /// Temporary files being written. A process that exits in the middle of a write (Environment.Exit, a second Ctrl+C
    /// in the tool) deletes them on its way out, so it leaves no hidden file behind; a killed one cannot.
    /// </summary>
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, bool> Pending = new(StringComparer.Ordinal);

    static AtomicFile() => AppDomain.CurrentDomain.ProcessExit += (_, _) =>
    {
        foreach (string temporaryPath in Pending.Keys) DeleteQuietly(temporaryPath);
    };

    /// <summary>
    /// Runs <paramref name="write"/> on a temporary file in the folder of <paramref name="path"/>'s target, flushes it
    /// to the disk, and renames it over the target (keeping the replaced file's permissions). On any failure the
    /// temporary file is deleted and a file already there is left as it was.
    /// </summary>
    /// <param name="path">The file to create or replace, or a symbolic link to it.</param>
    /// <param name="write">Writes the content; it need not dispose the stream.</param>
    /// <exception cref="IOException">The file cannot be written: the message names <paramref name="path"/> and the reason in one line.</exception>
    public static void Write(string path, Action<Stream> write)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(write);
        string target = FileTarget.Resolve(path);
        switch (FileTarget.KindOf(target))
        {
            case FileTarget.Kind.Directory:
                throw new IOException($"{path}: is a folder, not a file.");
            case FileTarget.Kind.Special:
                WriteInPlace(path, target, write);
                return;
            case FileTarget.Kind.Regular:
                Replace(path, target, write, existed: true);
                return;
            default:
                Replace(path, target, write, existed: false);
                return;
        }
    }

    /// <summary>
    /// The file a write to <paramref name="path"/> changes: the absolute path with every symbolic link resolved,
    /// including links among its folders; the last parts need not exist yet.
    /// </summary>
    /// <exception cref="IOException">The links form a loop.</exception>
    public static string Target(string path) => FileTarget.Resolve(path);

    /// <summary>
    /// Whether two paths name one file: the same target once symbolic links are resolved, or, for files that exist on
    /// Linux, the same device and inode (two hard links to one file). Writing one would change what the other reads.
    /// To check many paths against each other, make each one's <see cref="FileIdentity"/> once and compare those.
    /// </summary>
    /// <exception cref="IOException">The links of a path form a loop.</exception>
    public static bool IsSameFile(string first, string second)
    {
        ArgumentException.ThrowIfNullOrEmpty(first);
        ArgumentException.ThrowIfNullOrEmpty(second);
        return FileIdentity.Of(first) == FileIdentity.Of(second);
    }

    /// <summary>
    /// Whether <paramref name="path"/>'s target is a device, FIFO or socket (<c>/dev/null</c>, <c>/dev/zero</c>, a named
    /// pipe), which a write changes in place and a reader reads as an endless or one-time stream, not as a file.
    /// </summary>
    /// <exception cref="IOException">The links form a loop.</exception>
    public static bool IsSpecialFile(string path) => FileTarget.KindOf(FileTarget.Resolve(path)) == FileTarget.Kind.Special;

    private static void Replace(string path, string target, Action<Stream> write, bool existed)
    {
        string folder = Path.GetDirectoryName(target)!;
        if (!Directory.Exists(folder)) throw new IOException($"{path}: the folder {folder} does not exist.");
        string temporaryPath = Path.Combine(folder, $".{Path.GetFileName(target)}.{Guid.NewGuid():N}.tmp");
        Pending[temporaryPath] = true;
        try
        {
            using (var stream = new FileStream(temporaryPath, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 1 << 16))
            {
                write(stream);
                stream.Flush(flushToDisk: true);
            }
            if (existed && !OperatingSystem.IsWindows()) File.SetUnixFileMode(temporaryPath, File.GetUnixFileMode(target));
            File.Move(temporaryPath, target, overwrite: true);
        }
        catch (Exception exception)
        {
            DeleteQuietly(temporaryPath);
            if (exception is IOException or UnauthorizedAccessException) throw Failure(path, exception, temporaryPath, existed);
            throw;
        }
        finally
        {
            Pending.TryRemove(temporaryPath, out _);
        }
    }

    /// <summary>A device or FIFO: opened for writing as it is (a FIFO waits for its reader), never replaced.</summary>
    private static void WriteInPlace(string path, string target, Action<Stream> write)
    {
        try
        {
            using var stream = new FileStream(target, FileMode.Open, FileAccess.Write, FileShare.ReadWrite, bufferSize: 1 << 16);
            write(stream);
            stream.Flush();
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw Failure(path, exception, target, existed: false);
        }
    }

    /// <summary>One line naming the user's path and the system's reason, never the hidden temporary file.</summary>
    private static IOException Failure(string path, Exception exception, string internalPath, bool existed)
    {
        string reason = exception.Message.Split('\n')[0].Trim();
        // .NET appends " : 'path'" or quotes the path it failed on: the temporary file, which the user never named.
        int quoted = reason.IndexOf(" : '", StringComparison.Ordinal);
        if (quoted > 0) reason = reason[..quoted];
        reason = reason.Replace($" '{internalPath}'", "", StringComparison.Ordinal).Replace(internalPath, path, StringComparison.Ordinal).TrimEnd('.');
        string kept = existed ? "; the file there is unchanged" : "";
        return new IOException($"{path}: cannot write the file ({reason}){kept}.", exception);
    }

    /// <summary>Removes the temporary file without hiding the exception that made us remove it.</summary>
    private static void DeleteQuietly(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            // The original failure is the one worth reporting; a leftover hidden .tmp file is harmless.
        }
    }
}
