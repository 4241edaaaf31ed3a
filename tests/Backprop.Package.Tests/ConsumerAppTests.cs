using Backprop.Tests;

namespace Backprop.Package.Tests;

/// <summary>A new console application that references the library packages and runs README's library examples verbatim.</summary>
[Collection(PackedRepositoryCollection.Name)]
public sealed class ConsumerAppTests(PackedRepository packed)
{
    [Fact]
    public void ReadmeLibraryExamples_BuildAndRun_FromThePackagesAlone()
    {
        var examples = ReadmeExamples.Read(Path.Combine(RepoPaths.Root, "README.md"));
        Assert.NotEmpty(examples);
        string app = packed.Scratch("consumer");
        string references = string.Join("\n", packed.LibraryIds.Select(id => $"    <PackageReference Include=\"{id}\" Version=\"{packed.Version}\" />"));
        File.WriteAllText(Path.Combine(app, "Consumer.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <ImplicitUsings>enable</ImplicitUsings>
                <Nullable>enable</Nullable>
              </PropertyGroup>
              <ItemGroup>
            {references}
              </ItemGroup>
            </Project>
            """);
        File.WriteAllText(Path.Combine(app, "Program.cs"), ReadmeExamples.Program(examples));
        File.Copy(packed.ConfigFile, Path.Combine(app, "nuget.config"));

        var run = DotnetCommand.Run(app, packed.Environment, TimeSpan.FromMinutes(10), DotnetCommand.Host, "run", "-c", "Release");

        string failedAt = examples.LastOrDefault(e => run.Output.Contains(ReadmeExamples.Marker(e), StringComparison.Ordinal)) is { } last
            ? $"README.md's example at line {last.Line} failed" : "the program did not build";
        Assert.True(run.ExitCode == 0, $"{failedAt}:\n{run}");
        Assert.Contains("README examples: all ran", run.Output);
        // The tour's 2-2-2 network: ∂E/∂w5 = 0.082167041 in the classic worked example.
        Assert.Contains("0.082167", run.Output);
    }
}
