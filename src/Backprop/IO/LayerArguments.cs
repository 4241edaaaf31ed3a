using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Backprop.NN;

namespace Backprop.IO;

/// <summary>
/// The arguments of one layer in a model file's architecture JSON, read with typed getters that turn
/// any missing or malformed value into a <see cref="ModelFormatException"/> naming the file, the
/// layer's path (e.g. <c>model.layers[2]</c>) and the argument.
/// </summary>
/// <remarks>
/// Every argument the file gives must be read by the layer's <see cref="ISerializableLayer{TSelf}.FromArguments"/>:
/// one left over is reported as unknown, so a typo or a file from a newer version is not silently ignored.
/// <code>
/// static Dense ISerializableLayer&lt;Dense&gt;.FromArguments(LayerArguments arguments)
/// {
///     int inputs = arguments.GetInt("inputs"), outputs = arguments.GetInt("outputs");
///     bool bias = arguments.GetBool("bias", true);
///     arguments.Allocates((long)inputs * outputs + (bias ? outputs : 0));
///     return new Dense(inputs, outputs, bias, seed: 0);
/// }
/// </code>
/// </remarks>
public sealed class LayerArguments
{
    private readonly JsonObject _json;
    private readonly HashSet<string> _read = ["type"];
    private readonly ElementBudget _budget;

    internal LayerArguments(JsonObject json, string typeName, string path, string sourceName, ElementBudget budget)
    {
        _json = json;
        TypeName = typeName;
        Path = path;
        SourceName = sourceName;
        _budget = budget;
    }

    /// <summary>The layer's registered type name, e.g. <c>"Dense"</c>.</summary>
    public string TypeName { get; }

    /// <summary>Where the layer sits in the architecture, e.g. <c>model.layers[2]</c>.</summary>
    public string Path { get; }

    /// <summary>The file (or other source) being read, for error messages.</summary>
    public string SourceName { get; }

    /// <summary>A required integer argument.</summary>
    /// <exception cref="ModelFormatException">It is missing or not an integer in the range of <see cref="int"/>.</exception>
    public int GetInt(string name) => Read(name, required: true, 0, (JsonValue value, out int result) => value.TryGetValue(out result), "an integer");

    /// <summary>An optional integer argument, <paramref name="defaultValue"/> when absent.</summary>
    /// <exception cref="ModelFormatException">It is present but not an integer in the range of <see cref="int"/>.</exception>
    public int GetInt(string name, int defaultValue) => Read(name, required: false, defaultValue, (JsonValue value, out int result) => value.TryGetValue(out result), "an integer");

    /// <summary>A required number argument; the JSON text round-trips a double exactly.</summary>
    /// <exception cref="ModelFormatException">It is missing or not a finite number.</exception>
    public double GetDouble(string name) => Read(name, required: true, 0.0, TryGetFiniteDouble, "a finite number");

    /// <summary>An optional number argument, <paramref name="defaultValue"/> when absent.</summary>
    /// <exception cref="ModelFormatException">It is present but not a finite number.</exception>
    public double GetDouble(string name, double defaultValue) => Read(name, required: false, defaultValue, TryGetFiniteDouble, "a finite number");

    /// <summary>An optional Boolean argument, <paramref name="defaultValue"/> when absent.</summary>
    /// <exception cref="ModelFormatException">It is present but not <c>true</c> or <c>false</c>.</exception>
    public bool GetBool(string name, bool defaultValue) => Read(name, required: false, defaultValue, (JsonValue value, out bool result) => value.TryGetValue(out result), "true or false");

    /// <summary>An optional string argument, <paramref name="defaultValue"/> when absent.</summary>
    /// <exception cref="ModelFormatException">It is present but not a string.</exception>
    public string GetString(string name, string defaultValue) => ReadNode(name, required: false, defaultValue, TryGetString, "a string");

    /// <summary>A required array of integers, e.g. a shape <c>[4, 8]</c>.</summary>
    /// <exception cref="ModelFormatException">It is missing, or not an array of integers in the range of <see cref="int"/>.</exception>
    public int[] GetInts(string name) =>
        ReadNode(name, required: true, [], (JsonNode? node, out int[] result) => TryGetInts(node, out result), "an array of integers");

    /// <summary>A required (height, width) argument, written <c>[height, width]</c> or as one integer for both.</summary>
    /// <exception cref="ModelFormatException">It is missing, or neither an integer nor an array of two.</exception>
    public (int Height, int Width) GetPair(string name) => ReadNode(name, required: true, (0, 0), TryGetPair, "an integer or [height, width]");

    /// <summary>An optional (height, width) argument, <paramref name="defaultValue"/> when absent.</summary>
    /// <exception cref="ModelFormatException">It is present but neither an integer nor an array of two.</exception>
    public (int Height, int Width) GetPair(string name, (int Height, int Width) defaultValue) =>
        ReadNode(name, required: false, defaultValue, TryGetPair, "an integer or [height, width]");

    /// <summary>A required array of layer descriptions (a container's children), each built through <see cref="ModuleSerializer"/>.</summary>
    /// <exception cref="ModelFormatException">It is missing, not an array, or a child is invalid (the message gives the child's path).</exception>
    public IReadOnlyList<Module> GetModules(string name)
    {
        _read.Add(name);
        if (_json[name] is not JsonArray array)
            throw Error(_json.ContainsKey(name) ? $"argument '{name}' must be an array of layers" : $"required argument '{name}' is missing");
        var modules = new Module[array.Count];
        for (int i = 0; i < modules.Length; i++)
            modules[i] = ModuleSerializer.Build(array[i], string.Create(CultureInfo.InvariantCulture, $"{Path}.{name}[{i}]"), SourceName, _budget);
        return modules;
    }

    /// <summary>
    /// Declares that the layer about to be built allocates <paramref name="elements"/> tensor elements
    /// (its parameters and buffers). A layer with sizes among its arguments must call this before
    /// constructing: when loading a file, the model can hold no more elements than the file's tensors,
    /// so a hostile architecture cannot make the loader allocate gigabytes for a small file.
    /// </summary>
    /// <exception cref="ModelFormatException">The layers so far need more elements than the file holds.</exception>
    public void Allocates(long elements)
    {
        // A negative count comes from invalid sizes, which the layer's constructor rejects with a clearer message.
        if (elements < 0) return;
        if (elements > _budget.Remaining)
            throw Error($"its arguments need {elements} tensor elements, more than the {_budget.Remaining} the file's tensors still hold");
        _budget.Remaining -= elements;
    }

    /// <summary>An exception for a problem with this layer, naming the file, the path and the type.</summary>
    public ModelFormatException Error(string problem, Exception? innerException = null) =>
        new(SourceName, $"layer {Path} ({TypeName}): {problem}", innerException);

    /// <summary>
    /// The product of sizes from an untrusted file, for <see cref="Allocates"/>: saturating at <see cref="long.MaxValue"/>
    /// so huge sizes fail the element budget instead of overflowing past it; −1 (no claim) when a size is
    /// negative, which the layer's constructor then reports.
    /// </summary>
    internal static long Elements(params long[] sizes)
    {
        if (sizes.Any(size => size < 0)) return -1;
        Int128 product = 1;
        foreach (long size in sizes) product = Int128.Min(product * size, (Int128)long.MaxValue);
        return (long)product;
    }

    /// <summary>A sum of <see cref="Elements"/> counts, saturating likewise; −1 when either is.</summary>
    internal static long Sum(long first, long second) =>
        first < 0 || second < 0 ? -1 : (long)Int128.Min((Int128)first + second, (Int128)long.MaxValue);

    /// <summary>Throws for the first argument the build function did not read.</summary>
    internal void EnsureAllRead()
    {
        foreach (var (key, _) in _json)
        {
            if (!_read.Contains(key))
                throw Error($"unknown argument '{key}' (this version reads {(_read.Count == 1 ? "none" : string.Join(", ", _read.Where(k => k != "type").Select(k => $"'{k}'")))})");
        }
    }

    private delegate bool TryConvert<T>(JsonValue value, out T result);

    private delegate bool TryConvertNode<T>(JsonNode? node, out T result);

    /// <summary>Reads a number or Boolean: <paramref name="convert"/> never sees a string, so <c>"2"</c> is not 2.</summary>
    private T Read<T>(string name, bool required, T defaultValue, TryConvert<T> convert, string expected) =>
        ReadNode(name, required, defaultValue, (JsonNode? node, out T result) =>
        {
            result = defaultValue;
            return node is JsonValue value && value.GetValueKind() is not JsonValueKind.String && convert(value, out result);
        }, expected);

    private T ReadNode<T>(string name, bool required, T defaultValue, TryConvertNode<T> convert, string expected)
    {
        _read.Add(name);
        if (!_json.TryGetPropertyValue(name, out JsonNode? node))
        {
            return required ? throw Error($"required argument '{name}' is missing") : defaultValue;
        }

        if (convert(node, out T result))
        {
            return result;
        }

        throw Error($"argument '{name}' must be {expected}, got {Describe(node)}");
    }

    private static bool TryGetString(JsonNode? node, out string result)
    {
        result = "";
        return node is JsonValue value && value.GetValueKind() is JsonValueKind.String && value.TryGetValue(out result!);
    }

    private static bool TryGetInt(JsonNode? node, out int result)
    {
        result = 0;
        return node is JsonValue value && value.GetValueKind() is JsonValueKind.Number && value.TryGetValue(out result);
    }

    private static bool TryGetInts(JsonNode? node, out int[] result)
    {
        result = [];
        if (node is not JsonArray array) return false;
        var values = new int[array.Count];
        for (int i = 0; i < values.Length; i++)
            if (!TryGetInt(array[i], out values[i])) return false;
        result = values;
        return true;
    }

    private static bool TryGetPair(JsonNode? node, out (int Height, int Width) result)
    {
        result = default;
        if (TryGetInt(node, out int both))
        {
            result = (both, both);
            return true;
        }

        if (!TryGetInts(node, out int[] values) || values.Length != 2) return false;
        result = (values[0], values[1]);
        return true;
    }

    private static bool TryGetFiniteDouble(JsonValue value, out double result) => value.TryGetValue(out result) && double.IsFinite(result);

    private static string Describe(JsonNode? node)
    {
        string text = node?.ToJsonString() ?? "null";
        return text.Length <= 40 ? text : $"{text[..40]}…";
    }
}

/// <summary>How many tensor elements the layers still to be built may allocate.</summary>
internal sealed class ElementBudget(long remaining)
{
    public long Remaining { get; set; } = remaining;
}
