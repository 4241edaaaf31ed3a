namespace Backprop.Data;

/// <summary>gzip's two magic bytes (RFC 1952): how the readers of IDX files and CSV tables tell a compressed file by its content, whatever its name.</summary>
internal static class GzipMagic
{
    /// <summary>Whether <paramref name="head"/>, the first bytes of a file, starts as a gzip stream does (0x1F 0x8B).</summary>
    public static bool Starts(ReadOnlySpan<byte> head) => head.Length >= 2 && head[0] == 0x1F && head[1] == 0x8B;
}
