using System.Text.Encodings.Web;
using System.Text.Json;

namespace Backprop.Cli.Output;

/// <summary>Writes a command's result as one JSON document (for <c>--json</c>), the same way for every command.</summary>
internal static class JsonOutput
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        // Names such as ∂E/∂out and ŷ stay readable; the output is a document, not HTML.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        // A diverging run can produce NaN or ∞; they are written as "NaN"/"Infinity" rather than failing.
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    // Absent values (no diagnosis asked for) are left out rather than written as null.
    private static readonly JsonSerializerOptions LineOptions = new(Options)
    {
        WriteIndented = false,
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
    };

    public static void Write<T>(TextWriter writer, T value) => writer.WriteLine(JsonSerializer.Serialize(value, Options));

    /// <summary>Writes <paramref name="value"/> as one line (JSON Lines), for a stream of records such as one per epoch.</summary>
    public static void WriteLine<T>(TextWriter writer, T value) => writer.WriteLine(JsonSerializer.Serialize(value, LineOptions));
}
