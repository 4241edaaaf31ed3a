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
    public static Kind KindOf(string resolvedPath) => Examine(resolvedPath).Kind;

    /// <summary>
    /// What is at <paramref name="resolvedPath"/> (a path from <see cref="Resolve"/>) and, on Linux, the (device, inode)
    /// pair that identifies it, so two names of one file (hard links) are known as one: both from one <c>statx</c> call,
    /// whose layout is the same on every architecture. The pair is null when nothing is there or on other systems.
    /// </summary>
    public static (Kind Kind, (ulong Device, ulong Inode)? Node) Examine(string resolvedPath)
    {
        if (!OperatingSystem.IsLinux()) return (KindFromDotNet(resolvedPath), null);
        if (Stat(resolvedPath) is not { } buffer) return (KindFromDotNet(resolvedPath), null);
        const int modeOffset = 28, inodeOffset = 32, deviceMajorOffset = 136, deviceMinorOffset = 140;
        var kind = (BitConverter.ToUInt16(buffer, modeOffset) & 0xF000) switch
        {
            0x8000 => Kind.Regular,
            0x4000 => Kind.Directory,
            _ => Kind.Special,
        };
        ulong device = ((ulong)BitConverter.ToUInt32(buffer, deviceMajorOffset) << 32) | BitConverter.ToUInt32(buffer, deviceMinorOffset);
        return (kind, (device, BitConverter.ToUInt64(buffer, inodeOffset)));
    }

    /// <summary>What .NET can tell without <c>statx</c>: it reports devices and FIFOs as ordinary files.</summary>
    private static Kind KindFromDotNet(string path) => Directory.Exists(path) ? Kind.Directory : File.Exists(path) ? Kind.Regular : Kind.Missing;

    private static string[] Parts(string path) =>
        path.Split([Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar], StringSplitOptions.RemoveEmptyEntries);

    /// <summary>
    /// The <c>statx</c> record of <paramref name="path"/>; null when nothing is there (or it cannot be examined), or when
    /// the C library lacks the call.
    /// </summary>
    private static byte[]? Stat(string path)
    {
        var buffer = new byte[256];
        try
        {
            return Statx(CurrentFolder, path, 0, BasicStats, buffer) == 0 ? buffer : null;
        }
        catch (Exception exception) when (exception is EntryPointNotFoundException or DllNotFoundException)
        {
            return null;
        }
    }

#pragma warning disable SYSLIB1054 // LibraryImport would need unsafe code here for a call that DllImport marshals as it is.
    [DllImport("libc", EntryPoint = "statx", SetLastError = true)]
    private static extern int Statx(int directory, [MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags, uint mask, byte[] buffer);
#pragma warning restore SYSLIB1054
}
