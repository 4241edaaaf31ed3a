using System.Globalization;
using System.Text.Json.Nodes;
using Backprop.NN;

namespace Backprop.IO;

/// <summary>
/// The positions of a model's <see cref="Dropout"/> generators (<see cref="Dropout.GeneratorState"/>) by layer
/// path, e.g. <c>{"3": "1234567"}</c>, as a checkpoint keeps them: restored into new objects, training
/// draws the masks it would have drawn without stopping. Decimal strings, because JSON readers that
/// hold numbers as doubles would round a 64-bit value.
/// </summary>
internal static class DropoutStates
{
    /// <summary>Every Dropout layer's position, keyed by its path (<c>""</c> when the model itself is one).</summary>
    public static JsonObject Collect(Module model)
    {
        var states = new JsonObject();
        foreach (var (path, dropout) in DropoutLayers(model, ""))
            states[path] = dropout.GeneratorState.ToString(CultureInfo.InvariantCulture);
        return states;
    }

    /// <summary>
    /// Checks <paramref name="states"/> against the model's Dropout layers (exactly those paths, each a 64-bit
    /// unsigned decimal) and returns how to set them, so a caller can apply them only once everything else has loaded.
    /// </summary>
    /// <exception cref="ModelFormatException">A layer is missing, one is not in the model, or a value is not a 64-bit unsigned decimal.</exception>
    public static Action Read(Module model, JsonObject states, string sourceName)
    {
        var layers = DropoutLayers(model, "").ToDictionary(pair => pair.Path, pair => pair.Layer, StringComparer.Ordinal);
        foreach (var (path, node) in states)
        {
            if (!layers.ContainsKey(path))
                throw new ModelFormatException(sourceName, $"the checkpoint has a dropout generator state for '{path}', which is not a Dropout layer of the model");
        }

        var positions = new List<(Dropout Layer, ulong State)>();
        foreach (var (path, dropout) in layers)
        {
            string? text = states[path] is JsonValue value && value.TryGetValue(out string? s) ? s : null;
            if (text is null || !ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out ulong state))
                throw new ModelFormatException(sourceName, $"the checkpoint's dropout generator state for '{path}' must be a decimal integer in 0..{ulong.MaxValue}, got {states[path]?.ToJsonString() ?? "nothing"}");
            positions.Add((dropout, state));
        }

        return () =>
        {
            foreach (var (dropout, state) in positions) dropout.GeneratorState = state;
        };
    }

    private static IEnumerable<(string Path, Dropout Layer)> DropoutLayers(Module module, string path)
    {
        if (module is Dropout dropout) yield return (path, dropout);
        foreach (var (name, child) in module.NamedChildren())
            foreach (var pair in DropoutLayers(child, path.Length == 0 ? name : $"{path}.{name}"))
                yield return pair;
    }
}
