using System.Security.Cryptography;

namespace Backprop.Cli.Tests;

/// <summary>SHA-256 of every file under some paths, to show that a failing command changed none of its inputs.</summary>
internal static class Checksums
{
    public static Dictionary<string, string> Of(params string[] paths)
    {
        var sums = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string path in paths)
        {
            // Links are not followed: a link to its own folder would recurse for ever, and a link's target is checked where it lives.
            var options = new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = FileAttributes.ReparsePoint };
            var files = Directory.Exists(path) ? Directory.GetFiles(path, "*", options) : [path];
            foreach (string file in files) sums[file] = Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(file)));
        }
        return sums;
    }
}
