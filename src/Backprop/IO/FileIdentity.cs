namespace Backprop.IO;

/// <summary>
/// Which file a path names, found once: its target with every symbolic link resolved (<see cref="AtomicFile.Target"/>)
/// and, for a file that exists on Linux, its device and inode, so two hard links to one file are one identity. Two
/// identities are equal when they name one file: writing one would change what the other reads.
/// </summary>
/// <remarks>
/// The file system is read when the identity is made (<see cref="Of"/>), never when identities are compared, so
/// checking m paths against n others costs m + n resolutions rather than m × n, and identities work as keys of a
/// <see cref="HashSet{T}"/>. An identity records the file system as it was then: a file created, moved or linked
/// afterwards is not seen.
/// <code>
/// var inputs = dataFiles.Select(FileIdentity.Of).ToHashSet();
/// if (inputs.Contains(FileIdentity.Of(outputPath))) Console.Error.WriteLine("the output would overwrite an input");
/// </code>
/// </remarks>
public sealed class FileIdentity : IEquatable<FileIdentity>
{
    /// <summary>Names compare as the system's usual file systems do: case matters on Linux, not on Windows or macOS.</summary>
    private static readonly StringComparer NameComparer = OperatingSystem.IsLinux() ? StringComparer.Ordinal : StringComparer.OrdinalIgnoreCase;

    /// <summary>The (device, inode) pair of an existing file on Linux; null when nothing is there or on other systems.</summary>
    private readonly (ulong Device, ulong Inode)? _node;

    private FileIdentity(string target, FileTarget.Kind kind, (ulong Device, ulong Inode)? node)
    {
        Target = target;
        IsSpecialFile = kind == FileTarget.Kind.Special;
        _node = node;
    }

    /// <summary>The absolute path with every symbolic link resolved, as <see cref="AtomicFile.Target"/> gives it.</summary>
    public string Target { get; }

    /// <summary>Whether the target is a device, FIFO or socket, as <see cref="AtomicFile.IsSpecialFile"/> tells.</summary>
    public bool IsSpecialFile { get; }

    /// <summary>
    /// Resolves <paramref name="path"/> (symbolic links, among its folders too; the last parts need not exist) and, on
    /// Linux, reads the device and inode of the file there.
    /// </summary>
    /// <exception cref="IOException">The links form a loop.</exception>
    public static FileIdentity Of(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        string target = FileTarget.Resolve(path);
        var (kind, node) = FileTarget.Examine(target);
        return new FileIdentity(target, kind, node);
    }

    /// <summary>
    /// Whether both name one file. On Linux a file that existed is known by its device and inode, so hard links to it,
    /// and links to them, are equal; a file not there yet is known by its <see cref="Target"/>, compared
    /// case-insensitively on Windows and macOS, whose usual file systems ignore case and where .NET gives no inode.
    /// </summary>
    public bool Equals(FileIdentity? other)
    {
        if (other is null) return false;
        if (_node is not null || other._node is not null) return _node == other._node;
        return NameComparer.Equals(Target, other.Target);
    }

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is FileIdentity other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => _node?.GetHashCode() ?? NameComparer.GetHashCode(Target);

    /// <summary>Whether both name one file (see <see cref="Equals(FileIdentity)"/>).</summary>
    public static bool operator ==(FileIdentity? left, FileIdentity? right) => left?.Equals(right) ?? right is null;

    /// <summary>Whether they name different files.</summary>
    public static bool operator !=(FileIdentity? left, FileIdentity? right) => !(left == right);

    /// <summary>The <see cref="Target"/>.</summary>
    public override string ToString() => Target;
}
