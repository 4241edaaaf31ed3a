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
    public static bool IsUserError(Exception exception) => exception is ArgumentException or InvalidOperationException or NotSupportedException
        or IOException or UnauthorizedAccessException or FormatException or InvalidDataException or JsonException
        or DataFormatException or ModelFormatException;

    /// <summary>
    /// The message's first line, without the " (Parameter 'x')" and "Actual value was …" that ArgumentException
    /// appends: the library's messages already quote the value.
    /// </summary>
    public static string OneLine(Exception exception)
    {
        string message = exception.Message.Split('\n')[0].TrimEnd('\r');
        if (exception is ArgumentException { ParamName: { } name })
        {
            string suffix = $" (Parameter '{name}')";
            if (message.EndsWith(suffix, StringComparison.Ordinal)) message = message[..^suffix.Length];
        }
        return message;
    }
}
