using Backprop.Cli.Output;
using Backprop.Tests;

namespace Backprop.Cli.Tests.Output;

/// <summary>CSV fields as RFC 4180 quotes them, with OWASP's neutralisation of formula-leading text; numbers stay numbers.</summary>
public class CsvCellsTests
{
    [Theory]
    // Formula starts (OWASP's list: = + - @ tab, carriage return) get a leading quote.
    [InlineData("=1+2", "'=1+2")]
    [InlineData("+SUM(A1:A2)", "'+SUM(A1:A2)")]
    [InlineData("-2+3", "'-2+3")]
    [InlineData("@SUM(A1)", "'@SUM(A1)")]
    [InlineData("\tcmd", "'\tcmd")]
    [InlineData("\rcmd", "\"'\rcmd\"")]
    [InlineData("-", "'-")]
    [InlineData("＝1+2", "'＝1+2")]
    [InlineData("=HYPERLINK(\"http://x\",\"y\")", "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"")]
    // Numbers, signed or not, stay numbers.
    [InlineData("-1.5", "-1.5")]
    [InlineData("+2", "+2")]
    [InlineData("-1e-3", "-1e-3")]
    // RFC 4180: commas, quotes and line breaks are quoted, quotes doubled.
    [InlineData("a,b", "\"a,b\"")]
    [InlineData("say \"hi\"", "\"say \"\"hi\"\"\"")]
    [InlineData("two\nlines", "\"two\nlines\"")]
    [InlineData("plain", "plain")]
    [InlineData("", "")]
    public void Text(string value, string field) => Assert.Equal(field, CsvCells.Text(value));

    [Fact]
    public void Predict_WritesHostileClassNamesAsInertText_AndNumericLabelsAsNumbers()
    {
        using var folder = new TempFolder();
        // Two features; the label column holds a formula, a negative number and an @-call.
        var rows = new List<string> { "x,y,label" };
        for (int i = 0; i < 30; i++) rows.Add($"{i % 3},{(i % 3) * 2},{new[] { "=cmd|' /C calc'!A0", "-1", "@SUM(1+1)" }[i % 3]}");
        string data = folder.Write("hostile.csv", string.Join('\n', rows) + "\n");
        Assert.Equal(0, CliRun.InProcess("train", "--data", data, "--epochs", "30", "--out", folder.File("m.safetensors"), "--no-plot", "--quiet").ExitCode);

        var run = CliRun.InProcess("predict", "--model", folder.File("m.safetensors"), "--data", data, "--out", folder.File("p.csv"));

        Assert.Equal(0, run.ExitCode);
        var lines = File.ReadAllLines(folder.File("p.csv"));
        // The class names are sorted as the CSV reader orders them; each header cell starts with p_, so none is a formula.
        Assert.All(lines[0].Split(','), cell => Assert.DoesNotMatch("^[=+@\\-]", cell));
        var predicted = lines.Skip(1).Select(line => line.Split(',')[1]).ToHashSet();
        Assert.Subset(new HashSet<string> { "'=cmd|' /C calc'!A0", "-1", "'@SUM(1+1)" }, predicted);
        Assert.Contains("-1", predicted);
    }
}
