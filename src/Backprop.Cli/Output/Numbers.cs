using System.Globalization;

namespace Backprop.Cli.Output;

/// <summary>How the tool prints numbers in tables: fixed decimals, invariant culture.</summary>
internal static class Numbers
{
    public static string Fixed(double value, int decimals = 9) => value.ToString("F" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
}
