using System.Text.Json;
using Backprop.Data;
using Backprop.IO;

namespace Backprop.Cli.Output;

/// <summary>
/// Which exceptions describe a user's mistake (a value the library rejected, a missing or malformed file, a model
/// the library cannot export) rather than a bug, and how to say them in one line.
/// </summary>
internal static class UserErrors
{
    /// <summary>The longest error line the tool prints: a message that quotes a huge value is cut, not echoed whole.</summary>
    public const int MaxLength = 2000;

    public static bool IsUserError(Exception exception) => exception is ArgumentException or InvalidOperationException or NotSupportedException
        or OutOfMemoryException
        or IOException or UnauthorizedAccessException or FormatException or InvalidDataException or JsonException
        or DataFormatException or ModelFormatException;

    /// <summary>
    /// The message's first line, without the " (Parameter 'x')" and "Actual value was …" that ArgumentException
    /// appends: the library's messages already quote the value. Control characters (from a file name, say) are
    /// escaped so no escape sequence reaches the terminal, and the line is cut at <see cref="MaxLength"/> characters.
    /// </summary>
    public static string OneLine(Exception exception)
    {
        if (exception is OutOfMemoryException)
            return "the machine ran out of memory; the data or the network is larger than this machine can hold (try --limit, smaller layers or a smaller --batch-size).";
        string message = exception.Message.Split('\n')[0].TrimEnd('\r');
        if (exception is ArgumentException { ParamName: { } name })
        {
            string suffix = $" (Parameter '{name}')";
            if (message.EndsWith(suffix, StringComparison.Ordinal)) message = message[..^suffix.Length];
        }
        return Printable(message);
    }

    /// <summary>Control characters escaped (\t as \t, ESC as \u001b), cut at <see cref="MaxLength"/> characters with "…": the library's quoting of untrusted values, at a whole line's length.</summary>
    public static string Printable(string message) => Quote.Short(message, MaxLength);
}
