namespace Backprop.Cli;

/// <summary>The tool's exit codes, documented in README and in <c>backprop --help</c> (<see cref="Summary"/>).</summary>
internal static class ExitCode
{
    /// <summary>The command did what was asked.</summary>
    public const int Ok = 0;

    /// <summary>An error in the input, the data or the files (bad file, bad value the library rejected), explained in one line on stderr.</summary>
    public const int UserError = 1;

    /// <summary>
    /// The command line itself is wrong (unknown option or command, unparsable value, an output that is one of the
    /// inputs); nothing was touched.
    /// </summary>
    public const int Usage = 2;

    /// <summary>Training stopped on a loss that is not a number or infinite; no model file was written.</summary>
    public const int NonFiniteLoss = 3;

    /// <summary>Interrupted by Ctrl+C (SIGINT) or SIGTERM, as shells report a process ended by SIGINT (128 + 2).</summary>
    public const int Interrupted = 130;

    /// <summary>The codes in one line, for help texts.</summary>
    public const string Summary = "Exit codes: 0 done; 1 an error in the input, data or files; 2 a usage error (including an output that is one of the inputs); "
        + "3 training stopped on a non-finite loss; 130 interrupted (Ctrl+C or SIGTERM).";
}
