using System.CommandLine;
using Backprop.Cli.Commands;
using Backprop.Training;

namespace Backprop.Cli;

/// <summary>The <c>backprop</c> tool: one subcommand per file in Commands/, run by <see cref="CliRunner"/>.</summary>
internal static class Program
{
    private static int Main(string[] args)
    {
        // First of all, so that a signal at any moment of Main gets the tool's handling; one that comes while the runtime
        // is still starting, before Main, gets the system's (the process ends with the signal, having written nothing).
        Interrupts.Install();
        // Commands that train start the JIT compiler on the training step's code at once, so that it overlaps parsing
        // the command line and loading the data (see Warmup).
        if (args is ["train" or "bench", ..]) _ = Warmup.Start();
        return Run(args, Console.Out, Console.Error);
    }

    /// <summary>Runs the tool as from the command line, writing to the given streams; returns the exit code.</summary>
    internal static int Run(string[] args, TextWriter output, TextWriter error) => CliRunner.Run(CreateRootCommand(), args, output, error);

    internal static RootCommand CreateRootCommand() => new($"Backprop: neural networks that learn by backpropagation, in pure .NET.\n{ExitCode.Summary}")
    {
        // The tool's command name, whatever the process is called (Backprop.Cli.dll under dotnet, a test host).
        HelpName = "backprop",
        Subcommands =
        {
            TrainCommand.Create(),
            EvaluateCommand.Create(),
            PredictCommand.Create(),
            BenchCommand.Create(),
            ExportCommand.Create(),
            SummaryCommand.Create(),
            ExplainCommand.Create(),
        },
    };
}
