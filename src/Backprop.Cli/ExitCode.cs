namespace Backprop.Cli;

/// <summary>The tool's exit codes (DESIGN.md, CLI).</summary>
internal static class ExitCode
{
    /// <summary>The command did what was asked.</summary>
    public const int Ok = 0;

    /// <summary>A user error (bad file, bad value the library rejected), explained in one line on stderr.</summary>
    public const int UserError = 1;

    /// <summary>The command line itself is wrong (unknown option or command, unparsable value); usage goes to stderr.</summary>
    public const int Usage = 2;
}
