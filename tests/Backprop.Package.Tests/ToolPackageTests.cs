using System.IO.Compression;
using Xunit.Abstractions;

namespace Backprop.Package.Tests;

/// <summary>The backprop tool as a Linux x64 user gets it: small, installable from the feed, and working from an empty folder.</summary>
[Collection(PackedRepositoryCollection.Name)]
public sealed class ToolPackageTests(PackedRepository packed, ITestOutputHelper output)
{
    private const long MaxDownloadBytes = 30L * 1024 * 1024;

    [Fact]
    public void LinuxX64Download_IsAtMost30MB_AndHoldsOnlyItsOwnNativeLibrariesWithoutTheirSymbols()
    {
        string pointer = Path.Combine(packed.Feed, $"Backprop.Cli.{packed.Version}.nupkg");
        string linux = Path.Combine(packed.Feed, $"Backprop.Cli.linux-x64.{packed.Version}.nupkg");
        long download = new FileInfo(pointer).Length + new FileInfo(linux).Length;
        output.WriteLine($"download for linux-x64: {download:N0} bytes; {string.Join("; ", packed.Log)}");
        foreach (var file in new DirectoryInfo(packed.Feed).GetFiles().OrderBy(f => f.Name, StringComparer.Ordinal)) output.WriteLine($"{file.Name}: {file.Length:N0} bytes");
        Assert.True(download <= MaxDownloadBytes, $"The linux-x64 tool download is {download:N0} bytes, over {MaxDownloadBytes:N0}.");

        using var package = ZipFile.OpenRead(linux);
        var files = package.Entries.Select(e => e.FullName).ToList();
        Assert.Contains("tools/net10.0/linux-x64/libSkiaSharp.so", files);
        Assert.Contains("tools/net10.0/linux-x64/libHarfBuzzSharp.so", files);
        // Native libraries are the lib*.so/.dylib/.dll files: exactly Linux x64's two, and no native symbols.
        var native = files.Where(f => Path.GetFileName(f).StartsWith("lib", StringComparison.Ordinal)).ToList();
        Assert.Equal(["tools/net10.0/linux-x64/libHarfBuzzSharp.so", "tools/net10.0/linux-x64/libSkiaSharp.so"], native.Order(StringComparer.Ordinal));
        Assert.DoesNotContain(files, f => f.Contains("/runtimes/", StringComparison.Ordinal));
    }

    [Fact]
    public void InstalledTool_TrainsOneEpochInAnEmptyFolder_AndSummarisesTheModelItWrote()
    {
        string tools = packed.Scratch("tools");
        var install = DotnetCommand.Run(tools, packed.Environment, TimeSpan.FromMinutes(5), DotnetCommand.Host,
            "tool", "install", "Backprop.Cli", "--version", packed.Version, "--tool-path", tools, "--configfile", packed.ConfigFile);
        Assert.True(install.ExitCode == 0, install.ToString());
        output.WriteLine($"installed: {FolderBytes(tools):N0} bytes in {tools}");

        string empty = packed.Scratch("empty-folder");
        string backprop = Path.Combine(tools, OperatingSystem.IsWindows() ? "backprop.exe" : "backprop");
        var train = DotnetCommand.Run(empty, packed.Environment, TimeSpan.FromMinutes(5), backprop, "train", "--epochs", "1");
        Assert.True(train.ExitCode == 0, train.ToString());
        Assert.Contains("epoch 1/1", train.Output);
        Assert.True(new FileInfo(Path.Combine(empty, "model.safetensors")).Length > 0);
        byte[] png = File.ReadAllBytes(Path.Combine(empty, "training.png"));
        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, png[..4]);

        var summary = DotnetCommand.Run(empty, packed.Environment, TimeSpan.FromMinutes(2), backprop, "summary", "--model", "model.safetensors");
        Assert.True(summary.ExitCode == 0, summary.ToString());
        // The default network, 784-256-10: 784·256 + 256 + 256·10 + 10 parameters.
        Assert.Contains("Total parameters: 203,530", summary.Output);
    }

    private static long FolderBytes(string folder) => new DirectoryInfo(folder).EnumerateFiles("*", SearchOption.AllDirectories).Sum(f => f.Length);
}
