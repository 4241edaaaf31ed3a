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

    /// <summary>The first <see cref="MaxLength"/> characters of <paramref name="text"/>, control characters as <c>\n</c> or <c>\u001b</c>, and "…" when cut.</summary>
    public static string Short(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        int shown = Math.Min(text.Length, MaxLength);
        // Never cut a surrogate pair in half: the message would end in an invalid character.
        if (shown < text.Length && shown > 0 && char.IsHighSurrogate(text[shown - 1])) shown--;
        var builder = new StringBuilder(shown + 8);
        foreach (char c in text.AsSpan(0, shown))
        {
            builder.Append(c switch
            {
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                _ when char.IsControl(c) => string.Create(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}"),
                _ => c.ToString(),
            });
        }
        if (text.Length > shown) builder.Append('…');
        return builder.ToString();
    }

    /// <summary>A JSON value as compact JSON, shortened as <see cref="Short"/>; "nothing" for a missing one.</summary>
    public static string Json(JsonNode? node) => node is null ? "nothing" : Short(node.ToJsonString());
}
