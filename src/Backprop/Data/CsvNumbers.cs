using System.Globalization;
using System.Runtime.CompilerServices;

namespace Backprop.Data;

/// <summary>How a CSV field reads as a float32: the invariant culture (<c>1.5</c>, <c>-2e3</c>), and why it does not when it does not.</summary>
internal static class CsvNumbers
{
    public enum Kind
    {
        /// <summary>A finite float32.</summary>
        Number,

        /// <summary>A finite number beyond float32's ±3.4e38, such as 1e300.</summary>
        OutOfRange,

        /// <summary>NaN or an infinity written out.</summary>
        NotFinite,

        /// <summary>Not a number at all.</summary>
        Text,
    }

    public static Kind Parse(ReadOnlySpan<char> text, out float value)
    {
        if (TryParseSmallInteger(text, out value)) return Kind.Number;
        text = text.Trim();
        if (!float.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value)) return Kind.Text;
        if (float.IsFinite(value)) return Kind.Number;
        // float parsing rounds 1e300 to infinity: only the double tells a large number from "Infinity" or "NaN".
        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double wide) && double.IsFinite(wide) ? Kind.OutOfRange : Kind.NotFinite;
    }

    /// <summary>
    /// Up to 7 digits with an optional minus sign, the bulk of a pixel or count table: exact in float32, so this gives
    /// the value float.TryParse would, several times faster.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool TryParseSmallInteger(ReadOnlySpan<char> text, out float value)
    {
        value = 0;
        int start = text.Length > 0 && text[0] == '-' ? 1 : 0;
        int digits = text.Length - start;
        if (digits is < 1 or > 7) return false;
        int number = 0;
        for (int i = start; i < text.Length; i++)
        {
            int digit = text[i] - '0';
            if ((uint)digit > 9) return false;
            number = number * 10 + digit;
        }
        // "-0" is negative zero to float.TryParse.
        value = start == 1 ? (number == 0 ? -0f : -number) : number;
        return true;
    }

    /// <summary>The end of an error message about a value of this kind: "is not a number" and so on.</summary>
    public static string Problem(Kind kind) => kind switch
    {
        Kind.OutOfRange => "is outside float32's range (±3.4e38)",
        Kind.NotFinite => "is not a finite number",
        _ => "is not a number",
    };

    /// <summary>A number's text in one canonical form ("1.0" and "1" are both "1"), so a category is the same whichever way a file writes it.</summary>
    public static string Canonical(float value) => value.ToString("R", CultureInfo.InvariantCulture);
}
