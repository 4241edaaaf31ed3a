using System.CommandLine;

namespace Backprop.Cli.Tests;

public class CliRunnerTests
{
    private static RootCommand Throwing(Exception exception)
    {
        var command = new Command("fail", "Throws.");
        Func<ParseResult, int> action = _ => throw exception;
        command.SetAction(action);
        return new RootCommand("test") { command };
    }

    [Fact]
    public void UserError_IsOneLineOnStderr_WithExitCode1()
    {
        var run = CliRun.WithRoot(Throwing(new ArgumentOutOfRangeException("rate", -1.0, "Sgd: the learning rate must be ≥ 0, got -1.")), "fail");

        Assert.Equal(1, run.ExitCode);
        Assert.Equal("error: Sgd: the learning rate must be ≥ 0, got -1." + Environment.NewLine, run.Error);
        Assert.Empty(run.Output);
    }

    [Theory]
    [InlineData(typeof(InvalidOperationException))]
    [InlineData(typeof(IOException))]
    [InlineData(typeof(FileNotFoundException))]
    [InlineData(typeof(FormatException))]
    [InlineData(typeof(InvalidDataException))]
    public void LibraryExceptionsAboutInput_AreUserErrors(Type type)
    {
        var run = CliRun.WithRoot(Throwing((Exception)Activator.CreateInstance(type, "bad input")!), "fail");

        Assert.Equal(1, run.ExitCode);
        Assert.Equal(["error: bad input"], run.ErrorLines.Select(line => line.TrimEnd('\r')));
    }

    [Fact]
    public void UserError_EscapesControlCharacters_AndIsCutShort()
    {
        var run = CliRun.WithRoot(Throwing(new InvalidDataException("bad \u001b[31mred\u0007 " + new string('x', 1_000_000))), "fail");

        Assert.Equal(1, run.ExitCode);
        string line = Assert.Single(run.ErrorLines).TrimEnd('\r');
        Assert.StartsWith("error: bad \\u001b[31mred\\u0007 xxx", line);
        Assert.DoesNotContain('\u001b', line);
        Assert.Equal("error: ".Length + 2000 + 1, line.Length);
        Assert.EndsWith("x…", line);
    }

    [Fact]
    public void OutOfMemory_IsOneLine_WithExitCode1()
    {
        var run = CliRun.WithRoot(Throwing(new OutOfMemoryException()), "fail");

        Assert.Equal(1, run.ExitCode);
        Assert.StartsWith("error: the machine ran out of memory", Assert.Single(run.ErrorLines));
    }

    [Fact]
    public void Bug_IsNotDisguisedAsAUserError()
    {
        Assert.Throws<NullReferenceException>(() => CliRun.WithRoot(Throwing(new NullReferenceException()), "fail"));
    }

    [Fact]
    public void UnknownCommand_PrintsTheErrorAndUsageToStderr_WithExitCode2()
    {
        var run = CliRun.InProcess("frobnicate");

        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith("error: ", run.Error);
        Assert.Contains("frobnicate", run.ErrorLines[0]);
        Assert.Contains("Usage:", run.Error);
        Assert.Contains("explain", run.Error);
        Assert.Empty(run.Output);
    }

    [Fact]
    public void RootHelp_ListsTheCommands()
    {
        var run = CliRun.InProcess("--help");

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("backprop [command] [options]", run.Output);
        Assert.Contains("explain", run.Output);
    }

    [Fact]
    public void RootHelp_ListsTheExitCodes()
    {
        var run = CliRun.InProcess("--help");

        Assert.Contains("Exit codes: 0 done; 1 an error in the input, data or files; 2 a usage error (including an output that is one of the inputs); "
            + "3 training stopped on a non-finite loss; 130 interrupted (Ctrl+C or SIGTERM).", run.Output.ReplaceLineEndings(" ").Replace("  ", " ", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("train")]
    [InlineData("evaluate")]
    [InlineData("predict")]
    [InlineData("explain")]
    [InlineData("bench")]
    [InlineData("export")]
    public void EveryCommand_OffersHelpAndSeed(string command)
    {
        // DESIGN.md: every command has --help and --seed.
        var run = CliRun.InProcess(command, "--help");
        Assert.Equal(0, run.ExitCode);
        Assert.Contains("--seed", run.Output);
    }
}
