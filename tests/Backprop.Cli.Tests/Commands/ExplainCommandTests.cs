using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Backprop.Cli.Tests.Explain;

namespace Backprop.Cli.Tests.Commands;

public class ExplainCommandTests
{
    [Fact]
    public void Default_WalksTheClassicTutorialsStep()
    {
        var run = CliRun.InProcess("explain");

        Assert.Equal(0, run.ExitCode);
        Assert.Empty(run.Error);
        // The classic tutorial's (shared/seeds/003) E_total, ∂E/∂w5, w5⁺, ∂E/∂w1, w1⁺ and out_h1, to 9 decimals.
        foreach (var figure in new[] { "0.298371109", "0.082167041", "0.358916480", "0.000438568", "0.149780716", "0.593269992" })
            Assert.Contains(figure, run.Output);
        Assert.Contains("w5·h1 + w6·h2 + b2", run.Output);
        Assert.Contains("0.291027924", run.Output); // the footnote about the tutorial's later figures
        Assert.DoesNotContain('\u001b', run.Output); // redirected output is plain text
        Assert.Empty(Row(run.Output, "b1")); // biases held fixed: no bias rows
    }

    [Fact]
    public void TrainBiases_AddsABiasRowPerNeuron()
    {
        var run = CliRun.InProcess("explain", "--train-biases");

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("1 → h1", run.Output);
        Assert.Contains("1 → o2", run.Output);
        Assert.Contains("0.358916480", run.Output); // w5⁺ does not depend on the biases being trained
    }

    [Fact]
    public void Example221_Works()
    {
        var run = CliRun.InProcess("explain", "--example", "2-2-1");

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("w31·h1 + w32·h2 + b3", run.Output);
        Assert.Contains("1 → ŷ", run.Output);
        Assert.Contains("E = (o − t)²", run.Output);
        Assert.DoesNotContain("0.291027924", run.Output);
    }

    [Fact]
    public void Steps_PrintsTheErrorAfterTraining_FarBelowTheFirst()
    {
        var run = CliRun.InProcess("explain", "--steps", "10000");

        Assert.Equal(0, run.ExitCode);
        var totals = Regex.Matches(run.Output, @"E_total[│ ]*(\d+\.\d{9})").Select(m => double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)).ToArray();
        Assert.Equal(2, totals.Length);
        Assert.Equal(0.298371109, totals[0]);
        // The reference trains the same network on plain doubles; the tutorial's 0.0000351085 came from its mixed update.
        double expected = PlainClassic.ErrorAfter(10000);
        Assert.Equal(Math.Round(expected, 9), totals[1]);
        Assert.True(totals[1] < totals[0] / 1000, $"after 10000 steps E = {totals[1]}");
    }

    [Fact]
    public void Json_IsOneDocumentWithTheNumbers()
    {
        var run = CliRun.InProcess("explain", "--json", "--steps", "2", "--seed", "7");

        Assert.Equal(0, run.ExitCode);
        using var document = JsonDocument.Parse(run.Output);
        var root = document.RootElement;
        Assert.Equal("2-2-2", root.GetProperty("example").GetString());
        // E_total, ∂E/∂w5, w5⁺ and ∂E/∂out_o1 as the classic tutorial (shared/seeds/003) prints them, to 9 decimals.
        Assert.Equal(0.298371109, Math.Round(root.GetProperty("totalError").GetDouble(), 9));
        var w5 = root.GetProperty("parameters").EnumerateArray().Single(p => p.GetProperty("name").GetString() == "w5");
        Assert.Equal(0.082167041, Math.Round(w5.GetProperty("gradient").GetDouble(), 9));
        Assert.Equal(0.358916480, Math.Round(w5.GetProperty("updated").GetDouble(), 9));
        Assert.Equal(0.741365070, Math.Round(w5.GetProperty("dErrorDOut").GetDouble(), 9));
        Assert.Equal(2, root.GetProperty("training").GetProperty("steps").GetInt32());
        Assert.Contains("true gradient descent", root.GetProperty("note").GetString());
    }

    [Fact]
    public void UnknownOption_PrintsUsageAndExits2()
    {
        var run = CliRun.InProcess("explain", "--bogus");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("--bogus", run.ErrorLines[0]);
        Assert.Contains("backprop explain [options]", run.Error);
        Assert.Empty(run.Output);
    }

    [Theory]
    [InlineData("--steps", "-1")]
    [InlineData("--steps", "many")]
    [InlineData("--example", "3-3-3")]
    [InlineData("--lr", "0")]
    [InlineData("--lr", "NaN")]
    public void BadValue_IsOneLineNamingOptionAndValue_Exit2(string option, string value)
    {
        var run = CliRun.InProcess("explain", option, value);

        Assert.Equal(2, run.ExitCode);
        Assert.Equal($"error: {option} ", run.ErrorLines[0][..(option.Length + 8)]);
        Assert.Contains($"'{value}'", run.ErrorLines[0]);
        Assert.DoesNotContain("error:", string.Join('\n', run.ErrorLines.Skip(1)));
    }

    [Fact]
    public void Help_DescribesEveryOption()
    {
        var run = CliRun.InProcess("explain", "--help");

        Assert.Equal(0, run.ExitCode);
        foreach (var option in new[] { "--example", "--steps", "--lr", "--train-biases", "--json", "--seed" })
            Assert.Contains(option, run.Output);
    }

    [Fact]
    public void BuiltTool_RunsAsAProcess_WithItsExitCodes()
    {
        var ok = CliRun.AsProcess("explain");
        Assert.Equal(0, ok.ExitCode);
        // The classic tutorial's (shared/seeds/003) E_total, ∂E/∂w5 and w5⁺, to 9 decimals.
        Assert.Contains("0.298371109", ok.Output);
        Assert.Contains("0.082167041", ok.Output);
        Assert.Contains("0.358916480", ok.Output);

        var usage = CliRun.AsProcess("explain", "--bogus");
        Assert.Equal(2, usage.ExitCode);
        Assert.Contains("Usage:", usage.Error);

        var badValue = CliRun.AsProcess("explain", "--example", "3-3-3");
        Assert.Equal(2, badValue.ExitCode);
        Assert.StartsWith("error: --example must be one of 2-2-2, 2-2-1, got '3-3-3'.", badValue.Error);
    }

    /// <summary>The table rows whose first cell is <paramref name="name"/>, or "" when there is none.</summary>
    private static string Row(string output, string name) =>
        string.Join('\n', output.Split('\n').Where(line => line.StartsWith($"│ {name} ", StringComparison.Ordinal)));
}
