using System.Runtime.InteropServices;

namespace Backprop.IO;

/// <summary>
/// The file a path finally names, with every symbolic link resolved (in the folders on the way too), and what kind
/// of file it is: what a write must replace, and whether it can replace it by renaming a new file over it.
/// </summary>
internal static class FileTarget
{
    /// <summary>The most symbolic links followed for one path, as Linux's own limit (ELOOP).</summary>
    private const int MaxLinks = 40;

    /// <summary>statx's AT_FDCWD: a relative path is taken from the current folder.</summary>
    private const int CurrentFolder = -100;

    /// <summary>statx's STATX_BASIC_STATS: type, mode, inode, device and the rest of what stat gives.</summary>
    private const uint BasicStats = 0x7ff;

    /// <summary>What is at a resolved path.</summary>
    public enum Kind
    {
        /// <summary>Nothing: the file would be created.</summary>
        Missing,

        /// <summary>A regular file.</summary>
        Regular,

        /// <summary>A folder.</summary>
        Directory,

        /// <summary>A device, FIFO or socket: it can only be written in place, never replaced.</summary>
        Special,
    }

    /// <summary>
    /// <paramref name="path"/> made absolute with each symbolic link replaced by what it points to, as <c>realpath</c>
    /// does, except that the last parts may not exist yet (the file a write would create). "." and ".." are taken after
    /// the links before them are resolved, so <c>link/..</c> is the folder above the link's target, as the system sees it.
    /// </summary>
    /// <exception cref="IOException">A loop of links.</exception>
    public static string Resolve(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        string start = Path.IsPathRooted(path) ? path : Path.Combine(Directory.GetCurrentDirectory(), path);
        string current = Path.GetPathRoot(start)!;
        var rest = new Queue<string>(Parts(start[current.Length..]));
        int links = 0;
        while (rest.TryDequeue(out string? name))
        {
            if (name == ".") continue;
            if (name == "..")
            {
                current = Path.GetDirectoryName(current) ?? current;
                continue;
            }
            string next = Path.Combine(current, name);
            string? target = new FileInfo(next).LinkTarget;
            if (target is null)
            {
                current = next;
                continue;
            }
            if (++links > MaxLinks) throw new IOException($"{path}: too many levels of symbolic links.");
            // A link's target is relative to the folder holding the link, which `current` already is, resolved.
            if (Path.IsPathRooted(target)) current = Path.GetPathRoot(target)!;
            rest = new Queue<string>(Parts(Path.IsPathRooted(target) ? target[current.Length..] : target).Concat(rest));
        }
        return current;
    }

    /// <summary>What is at <paramref name="resolvedPath"/> (a path from <see cref="Resolve"/>).</summary>
    public static Kind KindOf(string resolvedPath)
    {
        if (OperatingSystem.IsLinux() && UnixMode(resolvedPath) is int mode)
        {
            return (mode & 0xF000) switch
            {
                0x8000 => Kind.Regular,
                0x4000 => Kind.Directory,
                _ => Kind.Special,
            };
        }
        return Directory.Exists(resolvedPath) ? Kind.Directory : File.Exists(resolvedPath) ? Kind.Regular : Kind.Missing;
    }

    /// <summary>
    /// The (device, inode) pair that identifies the file at <paramref name="resolvedPath"/> on Linux, so two names of one
    /// file (hard links) are known as one; null when nothing is there or elsewhere.
    /// </summary>
    public static (ulong Device, ulong Inode)? Identity(string resolvedPath)
    {
        if (!OperatingSystem.IsLinux()) return null;
        const int inodeOffset = 32, deviceMajorOffset = 136, deviceMinorOffset = 140;
        if (Stat(resolvedPath, out _) is not { } buffer) return null;
        ulong device = ((ulong)BitConverter.ToUInt32(buffer, deviceMajorOffset) << 32) | BitConverter.ToUInt32(buffer, deviceMinorOffset);
        return (device, BitConverter.ToUInt64(buffer, inodeOffset));
    }

    private static string[] Parts(string path) =>
        path.Split([Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar], StringSplitOptions.RemoveEmptyEntries);

    /// <summary>
    /// The file's type and permission bits from Linux's <c>statx</c>, whose layout is the same on every architecture
    /// (.NET reports devices and FIFOs as ordinary files); null when nothing is there or the call is unavailable.
    /// </summary>
    private static int? UnixMode(string path)
    {
        const int modeOffset = 28;
        if (Stat(path, out bool available) is { } buffer) return BitConverter.ToUInt16(buffer, modeOffset);
        return available ? null : Directory.Exists(path) ? 0x4000 : File.Exists(path) ? 0x8000 : null;
    }

    /// <summary>
    /// The <c>statx</c> record of <paramref name="path"/>; null when nothing is there, or when the C library lacks the
    /// call (<paramref name="available"/> false).
    /// </summary>
    private static byte[]? Stat(string path, out bool available)
    {
        var buffer = new byte[256];
        try
        {
            available = true;
            return Statx(CurrentFolder, path, 0, BasicStats, buffer) == 0 ? buffer : null;
        }
        catch (Exception exception) when (exception is EntryPointNotFoundException or DllNotFoundException)
        {
            available = false;
            return null;
        }
    }

#pragma warning disable SYSLIB1054 // LibraryImport would need unsafe code here for a call that DllImport marshals as it is.
    [DllImport("libc", EntryPoint = "statx", SetLastError = true)]
    private static extern int Statx(int directory, [MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags, uint mask, byte[] buffer);
#pragma warning restore SYSLIB1054
}
