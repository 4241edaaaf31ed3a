using System.CommandLine.Parsing;
using System.Globalization;

namespace Backprop.Cli;

/// <summary>
/// Parsers for option values that validate as they parse, so a bad value is a parse error (exit 2) stated in one
/// line with the option and the value: <c>option.CustomParser = OptionValues.IntAtLeast("--steps", 0)</c>.
/// </summary>
internal static class OptionValues
{
    public static Func<ArgumentResult, int> IntAtLeast(string option, int minimum) => result =>
    {
        if (Token(result) is not { } text) return default;
        if (int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int value) && value >= minimum) return value;
        result.AddError(string.Create(CultureInfo.InvariantCulture, $"{option} must be an integer ≥ {minimum}, got '{text}'."));
        return default;
    };

    public static Func<ArgumentResult, double?> PositiveNumber(string option) => result =>
    {
        if (Token(result) is not { } text) return null;
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) && value > 0 && double.IsFinite(value)) return value;
        result.AddError($"{option} must be a finite number > 0, got '{text}'.");
        return null;
    };

    public static Func<ArgumentResult, double?> NonNegativeNumber(string option) => result =>
    {
        if (Token(result) is not { } text) return null;
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) && value >= 0 && double.IsFinite(value)) return value;
        result.AddError($"{option} must be a finite number ≥ 0, got '{text}'.");
        return null;
    };

    public static Func<ArgumentResult, string> OneOf(string option, IReadOnlyCollection<string> choices) => result =>
    {
        if (Token(result) is not { } text) return choices.First();
        if (choices.Contains(text)) return text;
        result.AddError($"{option} must be one of {string.Join(", ", choices)}, got '{text}'.");
        return choices.First();
    };

    /// <summary>Comma-separated integers ≥ 1 such as <paramref name="example"/>, at most <paramref name="most"/> of them (0: any number).</summary>
    public static Func<ArgumentResult, int[]?> PositiveIntegers(string option, string example, int most) => result =>
    {
        if (Token(result) is not { } text) return null;
        var parts = text.Split(',', StringSplitOptions.TrimEntries);
        var values = new int[parts.Length];
        bool valid = most == 0 || parts.Length <= most;
        for (int i = 0; i < parts.Length && valid; i++)
            valid = int.TryParse(parts[i], NumberStyles.Integer, CultureInfo.InvariantCulture, out values[i]) && values[i] >= 1;
        if (valid) return values;
        string count = most == 0 ? "" : $" (at most {most})";
        result.AddError($"{option} must be comma-separated integers ≥ 1{count}, such as {example}, got '{text}'.");
        return null;
    };

    /// <summary>The value's text; with the option given twice, the last one wins.</summary>
    private static string? Token(ArgumentResult result) => result.Tokens.Count > 0 ? result.Tokens[^1].Value : null;
}
