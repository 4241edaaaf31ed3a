using System.Globalization;

namespace Backprop.Cli.Output;

/// <summary>
/// Fields for every CSV file the tool writes: quoted as RFC 4180 says (a field holding a comma, a double quote or a
/// line break goes in double quotes, its quotes doubled), and a text field that a spreadsheet would run as a formula
/// — one starting with =, +, -, @, a tab or a carriage return (or their full-width forms) — gets a leading ' as OWASP's
/// CSV-injection guidance says. A field that is a number (-1.5, +2, 1e-3) is left as it is: it stays a number.
/// </summary>
internal static class CsvCells
{
    /// <summary>The characters that make a spreadsheet read a cell as a formula.</summary>
    private const string FormulaStarts = "=+-@\t\r＝＋－＠";

    /// <summary>A text value (a class name, a column name) as a safe field.</summary>
    public static string Text(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length > 0 && FormulaStarts.Contains(text[0]) && !IsNumber(text)) text = "'" + text;
        return text.AsSpan().IndexOfAny(",\"\r\n") < 0 ? text : $"\"{text.Replace("\"", "\"\"", StringComparison.Ordinal)}\"";
    }

    /// <summary>A number as a field, in six significant digits (NaN and infinities spelt as .NET does: NaN, Infinity, -Infinity).</summary>
    public static string Number(double value) => value.ToString("G6", CultureInfo.InvariantCulture);

    /// <summary>The fields as one line of CSV (without the line break).</summary>
    public static string Row(IEnumerable<string> fields) => string.Join(',', fields);

    /// <summary>Plain decimal or exponent notation only: no spaces, no thousands separators, nothing a formula could hide in.</summary>
    private static bool IsNumber(string text) =>
        double.TryParse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent, CultureInfo.InvariantCulture, out _);
}
