using System.Diagnostics;
using System.Text.RegularExpressions;
using Backprop.Tests;

namespace Backprop.Package.Tests;

/// <summary>
/// Every project under src/ packed once, as a release would be (Release, CI paths), into a local folder feed, with a
/// NuGet configuration that sees only that feed: the tool and the application a test installs come from these packages
/// and nowhere else. Third-party dependencies come read-only from the machine's NuGet cache (a fallback folder), so the
/// tests need no network; the packages land in a packages folder of their own, never in the machine's cache.
/// </summary>
public sealed partial class PackedRepository : IDisposable
{
    private static readonly TimeSpan PackTimeout = TimeSpan.FromMinutes(15);

    private readonly TempFolder _folder = new();
    private readonly string _artifacts;

    public PackedRepository()
    {
        Feed = Directory.CreateDirectory(_folder.File("feed")).FullName;
        string packages = Directory.CreateDirectory(_folder.File("packages")).FullName;
        ConfigFile = _folder.Write("nuget.config", $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources><clear /><add key="backprop-feed" value="{Feed}" /></packageSources>
              <fallbackPackageFolders><clear /><add key="machine-cache" value="{MachinePackageCache()}" /></fallbackPackageFolders>
              <config><add key="globalPackagesFolder" value="{packages}" /></config>
            </configuration>
            """);
        Environment = new Dictionary<string, string> { ["NUGET_PACKAGES"] = packages };

        // Build output inside the repository, as a release build's obj/ and bin/ are, so generated sources map to /_/ too.
        _artifacts = Path.Combine(RepoPaths.Root, "artifacts", "package-tests-" + Guid.NewGuid().ToString("N"));
        try
        {
            Pack(_artifacts);
        }
        catch
        {
            Dispose();
            throw;
        }
        Version = Directory.GetFiles(Feed, "Backprop.*.nupkg").Select(Path.GetFileName).Select(name => LibraryVersion().Match(name!))
            .Single(match => match.Success).Groups[1].Value;
    }

    private void Pack(string artifacts)
    {
        // Libraries first, so the tool's build finds them built.
        var projects = Directory.GetFiles(Path.Combine(RepoPaths.Root, "src"), "*.csproj", SearchOption.AllDirectories)
            .OrderBy(p => IsTool(p)).ThenBy(p => p, StringComparer.Ordinal);
        foreach (string project in projects)
        {
            var clock = Stopwatch.StartNew();
            var pack = DotnetCommand.Run(RepoPaths.Root, new Dictionary<string, string>(), PackTimeout, DotnetCommand.Host,
                "pack", project, "-c", "Release", "-o", Feed, "--artifacts-path", artifacts, "-p:ContinuousIntegrationBuild=true", "-nodeReuse:false");
            Log.Add($"{Path.GetFileName(project)} packed in {clock.Elapsed.TotalSeconds:F0} s");
            if (pack.ExitCode != 0) throw new InvalidOperationException(pack.ToString());
        }
    }

    /// <summary>The folder feed holding every package.</summary>
    public string Feed { get; }

    /// <summary>A nuget.config naming only the feed, with the machine's cache as a read-only fallback.</summary>
    public string ConfigFile { get; }

    /// <summary>Environment for commands that restore from the feed: NuGet's packages folder of these tests.</summary>
    public IReadOnlyDictionary<string, string> Environment { get; }

    /// <summary>The version every package was packed with.</summary>
    public string Version { get; }

    /// <summary>What each pack took, for the test output.</summary>
    public List<string> Log { get; } = [];

    /// <summary>The library packages (not the tool's), by id.</summary>
    public IEnumerable<string> LibraryIds => Directory.GetFiles(Feed, "*.nupkg").Select(Path.GetFileName)
        .Where(name => !name!.StartsWith("Backprop.Cli.", StringComparison.Ordinal))
        .Select(name => name![..^($".{Version}.nupkg".Length)]);

    /// <summary>A file the tests may write, in the fixture's folder.</summary>
    public string Scratch(string name) => Directory.CreateDirectory(_folder.File(name)).FullName;

    public void Dispose()
    {
        _folder.Dispose();
        if (Directory.Exists(_artifacts)) Directory.Delete(_artifacts, recursive: true);
    }

    private static bool IsTool(string project) => File.ReadAllText(project).Contains("<PackAsTool>true</PackAsTool>", StringComparison.Ordinal);

    private static string MachinePackageCache() =>
        System.Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } configured
            ? configured
            : Path.Combine(System.Environment.GetFolderPath(System.Environment.SpecialFolder.UserProfile), ".nuget", "packages");

    [GeneratedRegex(@"^Backprop\.(\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?)\.nupkg$")]
    private static partial Regex LibraryVersion();
}

[CollectionDefinition(Name)]
public sealed class PackedRepositoryCollection : ICollectionFixture<PackedRepository>
{
    public const string Name = "packed repository";
}
