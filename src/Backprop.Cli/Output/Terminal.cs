using Spectre.Console;

namespace Backprop.Cli.Output;

/// <summary>
/// A Spectre console for a command's output: the real terminal (colours, its width) when writing to an
/// interactive console, otherwise plain text without escape codes at a fixed width, so redirected output and
/// tests see the same tables.
/// </summary>
internal static class Terminal
{
    /// <summary>Width of tables when the output is not a terminal: wide enough for a row of 9-decimal numbers.</summary>
    private const int RedirectedWidth = 160;

    public static IAnsiConsole For(TextWriter writer)
    {
        bool interactive = ReferenceEquals(writer, Console.Out) && !Console.IsOutputRedirected;
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(writer),
            Ansi = interactive ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = interactive ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = interactive ? InteractionSupport.Detect : InteractionSupport.No,
        });
        if (!interactive) console.Profile.Width = RedirectedWidth;
        return console;
    }
}
