using System.Diagnostics;
using Backprop.Tests;

namespace Backprop.Cli.Tests.Files;

/// <summary>A small tmpfs mounted for one test (root only), to fill up or make read-only; unmounted on dispose.</summary>
internal sealed class SmallDisk : IDisposable
{
    private readonly TempFolder _folder;

    private SmallDisk(TempFolder folder) => _folder = folder;

    public string Path => _folder.Path;

    /// <summary>The mounted disk, or null where this process may not mount one.</summary>
    public static SmallDisk? Mount(int kilobytes)
    {
        var folder = new TempFolder();
        if (Environment.UserName == "root" && Command("mount", "-t", "tmpfs", "-o", $"size={kilobytes}k", "tmpfs", folder.Path)) return new SmallDisk(folder);
        folder.Dispose();
        return null;
    }

    public void MakeReadOnly()
    {
        if (!Command("mount", "-o", "remount,ro", Path)) throw new InvalidOperationException($"could not remount {Path} read-only");
    }

    public void Dispose()
    {
        Command("umount", Path);
        _folder.Dispose();
    }

    private static bool Command(string name, params string[] args)
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo(name, args) { RedirectStandardError = true, RedirectStandardOutput = true })!;
            process.WaitForExit();
            return process.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }
}
