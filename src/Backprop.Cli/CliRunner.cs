using System.CommandLine;
using System.CommandLine.Invocation;
using Backprop.Cli.Files;
using Backprop.Cli.Output;

namespace Backprop.Cli;

/// <summary>
/// Parses and invokes a command line with the tool's exit codes: parse errors print the errors and the failing
/// command's usage to stderr (exit 2), as does a <see cref="UsageException"/> (an output that is an input), in one line;
/// exceptions that describe a user's mistake print <c>error: message</c> in one line (exit 1); anything else is a bug
/// and keeps its stack trace. Commands return the other codes of <see cref="ExitCode"/> themselves.
/// </summary>
internal static class CliRunner
{
    public static int Run(RootCommand root, string[] args, TextWriter output, TextWriter error)
    {
        var parseResult = root.Parse(args);
        // Help clears parse errors (`explain --bogus --help` shows help), so only a real parse-error action is usage.
        if (parseResult.Action is ParseErrorAction)
        {
            // The error naming what the user typed comes before consequences such as "Required command was not provided".
            var errors = parseResult.Errors.OrderBy(e => parseResult.UnmatchedTokens.Any(token => e.Message.Contains(token, StringComparison.Ordinal)) ? 0 : 1);
            foreach (var parseError in errors) error.WriteLine($"error: {OneLine(parseError.Message)}");
            error.WriteLine();
            root.Parse([.. CommandPath(parseResult.CommandResult.Command), "--help"]).Invoke(new InvocationConfiguration { Output = error });
            return ExitCode.Usage;
        }
        try
        {
            return parseResult.Invoke(new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false });
        }
        catch (UsageException exception)
        {
            error.WriteLine($"error: {UserErrors.Printable(exception.Message)}");
            return ExitCode.Usage;
        }
        catch (Exception exception) when (UserErrors.IsUserError(exception))
        {
            error.WriteLine($"error: {UserErrors.OneLine(exception)}");
            return ExitCode.UserError;
        }
    }

    /// <summary>Some of the parser's own messages list choices on several lines; each error is kept to one line.</summary>
    private static string OneLine(string message) =>
        string.Join(' ', message.Split(['\r', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

    /// <summary>The subcommand names from below the root down to <paramref name="command"/>.</summary>
    private static IEnumerable<string> CommandPath(Command command)
    {
        var names = new Stack<string>();
        for (var current = command; current is not RootCommand; current = current.Parents.OfType<Command>().First())
            names.Push(current.Name);
        return names;
    }
}
