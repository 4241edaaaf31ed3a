namespace Backprop.Cli.Files;

/// <summary>A path a command reads or writes, with the option that named it (for messages).</summary>
/// <param name="Option">The option as typed, such as <c>--out</c>.</param>
/// <param name="Path">The path as the user gave it.</param>
internal sealed record FileRole(string Option, string Path)
{
    public override string ToString() => $"{Option} {Path}";

    /// <summary>The role of an option given; null for one not given (or given as "").</summary>
    public static FileRole? Of(string option, string? path) => string.IsNullOrEmpty(path) ? null : new FileRole(option, path);
}
