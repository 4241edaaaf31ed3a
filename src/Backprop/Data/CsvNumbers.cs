using System.Globalization;

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
        text = text.Trim();
        if (!float.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value)) return Kind.Text;
        if (float.IsFinite(value)) return Kind.Number;
        // float parsing rounds 1e300 to infinity: only the double tells a large number from "Infinity" or "NaN".
        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double wide) && double.IsFinite(wide) ? Kind.OutOfRange : Kind.NotFinite;
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
