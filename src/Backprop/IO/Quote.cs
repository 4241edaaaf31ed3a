using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace Backprop.IO;

/// <summary>
/// Values from untrusted files as they appear in error messages: at most a short prefix, with control characters
/// escaped, so a one-megabyte field or an escape sequence never reaches a terminal whole.
/// </summary>
public static class Quote
{
    /// <summary>Characters of a value an error message shows before it cuts the rest.</summary>
    public const int MaxLength = 40;

    /// <summary>At most <see cref="MaxLength"/> characters shown of <paramref name="text"/>, control characters as <c>\n</c> or <c>\u001b</c>, and "…" when cut.</summary>
    public static string Short(string text) => Short(text, MaxLength);

    /// <summary>
    /// At most <paramref name="maxLength"/> characters shown of <paramref name="text"/> (escapes count as shown, so
    /// the bound holds for what reaches the terminal), escaped as <see cref="Short(string)"/>, and "…" when cut: for a
    /// whole message rather than one value in it.
    /// </summary>
    public static string Short(string text, int maxLength)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentOutOfRangeException.ThrowIfNegative(maxLength);
        var builder = new StringBuilder(Math.Min(text.Length, maxLength) + 1);
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            // A surrogate pair goes in whole or not at all: a message cut inside one ends in an invalid character.
            bool pair = char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]);
            string shown = pair ? text.Substring(i, 2) : c switch
            {
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                _ when char.IsControl(c) => string.Create(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}"),
                _ => c.ToString(),
            };
            if (builder.Length + shown.Length > maxLength)
            {
                builder.Append('…');
                break;
            }
            builder.Append(shown);
            if (pair) i++;
        }
        return builder.ToString();
    }

    /// <summary>A JSON value as compact JSON, shortened as <see cref="Short(string)"/>; "nothing" for a missing one.</summary>
    public static string Json(JsonNode? node) => node is null ? "nothing" : Short(node.ToJsonString());
}
