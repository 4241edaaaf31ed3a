using System.Reflection;
using System.Reflection.Emit;
using Backprop.Tests;

namespace Backprop.Cli.Tests;

/// <summary>
/// Ctrl+C and SIGTERM get the tool's handling from the start of <c>Main</c>: a signal that comes before the handlers
/// are registered gets the system's, which ends the process with the signal (exit 143 for SIGTERM, where the tool
/// documents 130).
/// </summary>
public class ProgramTests
{
    [Fact]
    public void Main_RegistersTheSignalHandlers_BeforeAnythingElse()
    {
        // Whether a signal falls before or after a given instruction is a race a process test cannot pin down; the
        // order of Main's instructions it can: the first call Main makes is Interrupts.Install.
        var main = typeof(Program).GetMethod("Main", BindingFlags.NonPublic | BindingFlags.Static)!;
        byte[] il = main.GetMethodBody()!.GetILAsByteArray()!;
        int first = Array.FindIndex(il, b => b != OpCodes.Nop.Value);

        Assert.Equal(OpCodes.Call.Value, il[first]);
        var called = main.Module.ResolveMethod(BitConverter.ToInt32(il, first + 1));
        Assert.Equal(typeof(Interrupts).GetMethod(nameof(Interrupts.Install)), called);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(15)]
    public void SignalAtStart_LeavesTheOutputFileAsItWas_AndPrintsNoPartialOutput(int signal)
    {
        using var folder = new TempFolder();
        string earlier = folder.Write("out.csv", "the predictions of an earlier run\n");
        using var child = new ChildProcess(folder.Path, "predict", "--out", "out.csv");

        child.Signal(signal);
        int code = child.WaitForExit(TimeSpan.FromMinutes(2));

        // Before Main the runtime or the system ends the process with the signal (128 + signal, silently); from Main on
        // the tool handles it (130 and its one line); the process never runs on, and nothing is written either way.
        // The signal comes right after the start, so it mostly lands before Main: this checks that nothing is written,
        // not the order of Main's calls, which the test above pins.
        Assert.Contains(code, new[] { 130, 128 + signal });
        if (child.ErrorLines.Length > 0) Assert.Equal([$"Interrupted ({(signal == 2 ? "SIGINT" : "SIGTERM")}): quitting at once; no file was written."], child.ErrorLines);
        Assert.Equal("", child.Output);
        Assert.Equal("the predictions of an earlier run\n", File.ReadAllText(earlier));
        Assert.Equal(["out.csv"], Directory.GetFiles(folder.Path).Select(Path.GetFileName));
    }
}
