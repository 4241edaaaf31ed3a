using System.Diagnostics;
using System.Text;

namespace Backprop.Package.Tests;

/// <summary>What a command printed and returned.</summary>
internal sealed record CommandResult(string Command, int ExitCode, string Output, string Error)
{
    /// <summary>Everything a failed assertion should show: the command, its exit code and both streams' ends.</summary>
    public override string ToString() => $"{Command} exited with {ExitCode}\n--- stdout (end) ---\n{Tail(Output)}\n--- stderr (end) ---\n{Tail(Error)}";

    private static string Tail(string text) => text.Length <= 6000 ? text : "…" + text[^6000..];
}

/// <summary>
/// Runs <c>dotnet</c> (or an installed tool) as a user's shell would, with a clean environment: none of the test host's
/// MSBuild variables, no build servers left behind, and NuGet's packages in a folder of the test's own.
/// </summary>
internal static class DotnetCommand
{
    public static CommandResult Run(string workingDirectory, IReadOnlyDictionary<string, string> environment, TimeSpan timeout, string fileName, params string[] arguments)
    {
        var start = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        foreach (string argument in arguments) start.ArgumentList.Add(argument);
        // The test host runs under `dotnet test`, whose MSBuild settings would steer a nested build.
        foreach (string name in start.Environment.Keys.Where(k => k.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase)).ToList())
            start.Environment.Remove(name);
        start.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1";
        foreach (var (name, value) in environment) start.Environment[name] = value;

        string command = $"{Path.GetFileName(fileName)} {string.Join(' ', arguments)}";
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {command}.");
        process.StandardInput.Close();
        var output = new StringBuilder();
        var error = new StringBuilder();
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (error) error.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
            return new CommandResult(command, -1, output.ToString(), error + $"\n(killed after {timeout.TotalMinutes:0} minutes)");
        }
        process.WaitForExit();
        return new CommandResult(command, process.ExitCode, output.ToString(), error.ToString());
    }

    /// <summary>The <c>dotnet</c> that runs these tests, so nested commands use the same SDK.</summary>
    public static string Host => Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";
}
