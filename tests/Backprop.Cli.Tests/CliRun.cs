using System.Diagnostics;
using System.CommandLine;

namespace Backprop.Cli.Tests;

/// <summary>The result of one run of the tool: exit code and what it wrote.</summary>
internal sealed record CliRun(int ExitCode, string Output, string Error)
{
    /// <summary>Runs the tool in-process, as <c>backprop args…</c>, with captured streams.</summary>
    public static CliRun InProcess(params string[] args)
    {
        var (output, error) = (new StringWriter(), new StringWriter());
        int code = Program.Run(args, output, error);
        return new CliRun(code, output.ToString(), error.ToString());
    }

    /// <summary>Runs <paramref name="root"/> through the same runner the tool uses.</summary>
    public static CliRun WithRoot(RootCommand root, params string[] args)
    {
        var (output, error) = (new StringWriter(), new StringWriter());
        int code = CliRunner.Run(root, args, output, error);
        return new CliRun(code, output.ToString(), error.ToString());
    }

    /// <summary>Runs the built Backprop.Cli.dll as a real process with <c>dotnet</c>.</summary>
    public static CliRun AsProcess(params string[] args)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(typeof(Program).Assembly.Location);
        foreach (var arg in args) start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        string output = process.StandardOutput.ReadToEnd();
        if (!process.WaitForExit(TimeSpan.FromMinutes(1))) process.Kill();
        return new CliRun(process.ExitCode, output, error.Result);
    }

    public string[] ErrorLines => Error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
}
