using System.Runtime.InteropServices;

namespace Backprop.Cli;

/// <summary>
/// Ctrl+C (SIGINT) and SIGTERM for the whole tool. Once a command has started training (<see cref="StopGracefully"/>), the first
/// one cancels its token: training stops after the step under way and the command saves what it has, then exits 130.
/// Any other interrupt, the second one while training included, ends the process at once with exit code 130: files
/// are only ever replaced by renaming a complete file over them, so stopping at any moment leaves every file as it was.
/// </summary>
internal static class Interrupts
{
    private static readonly CancellationTokenSource Stop = new();
    private static readonly List<PosixSignalRegistration> Registrations = [];
    private static int _graceful;
    private static int _received;

    /// <summary>
    /// Handles SIGINT and SIGTERM from now on (only the tool's own process does this; tests running commands in-process
    /// do not). It touches nothing else, not even the console, which the handler opens only when a signal comes, so
    /// that <c>Main</c> can call it before anything else.
    /// </summary>
    public static void Install()
    {
        foreach (var signal in new[] { PosixSignal.SIGINT, PosixSignal.SIGTERM })
            Registrations.Add(PosixSignalRegistration.Create(signal, Handle));
    }

    /// <summary>From now on the first interrupt cancels the returned token instead of ending the process.</summary>
    public static CancellationToken StopGracefully()
    {
        Interlocked.Exchange(ref _graceful, 1);
        return Stop.Token;
    }

    private static void Handle(PosixSignalContext context)
    {
        // The default action would end the process with the signal; the tool chooses how it ends.
        context.Cancel = true;
        if (Interlocked.Increment(ref _received) == 1 && Volatile.Read(ref _graceful) == 1)
        {
            Console.Error.WriteLine($"Interrupted ({context.Signal}): stopping after the current step, then saving the last completed epoch. Press Ctrl+C again to quit at once without writing.");
            Stop.Cancel();
            return;
        }
        Console.Error.WriteLine($"Interrupted ({context.Signal}): quitting at once; no file was written.");
        Console.Error.Flush();
        Environment.Exit(ExitCode.Interrupted);
    }
}
