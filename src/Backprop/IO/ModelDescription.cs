using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Backprop.IO;

/// <summary>Whether a model's outputs are classes or values.</summary>
public enum ModelTask
{
    /// <summary>One output per class (or one for two classes); the predicted class is the largest.</summary>
    Classification,

    /// <summary>The outputs are the predicted values themselves.</summary>
    Regression,
}

/// <summary>
/// What a saved model's inputs and outputs mean, kept in its file beside the architecture so that the file alone
/// turns raw data into answers: the input shape the network takes, the class each output stands for, and how raw
/// data (a CSV row, an image file) becomes that input. Saved with
/// <see cref="ModelFiles.Save(NN.Module, string, ModelDescription, IReadOnlyDictionary{string, string}?)"/>,
/// read with <see cref="Read(string)"/>.
/// </summary>
/// <example>
/// <code>
/// model.Save("iris.safetensors", new ModelDescription { InputShape = [4], ClassNames = ["setosa", "versicolor", "virginica"] });
/// var description = ModelDescription.Read("iris.safetensors");   // null for a file saved without one
/// </code>
/// </example>
public sealed record ModelDescription
{
    /// <summary>The <c>__metadata__</c> key under which the description is stored, as JSON.</summary>
    public const string MetadataKey = "backprop.description";

    /// <summary>The newest description version this library writes and reads.</summary>
    public const int Version = 1;

    /// <summary>Most class names a file may list: far above any real model, and it bounds what a hostile file makes the reader hold.</summary>
    public const int MaxClassNames = 1_000_000;

    /// <summary>One example's shape as the network takes it, without the batch axis (<c>[784]</c>, <c>[3, 32, 32]</c>); null when not recorded.</summary>
    public IReadOnlyList<int>? InputShape { get; init; }

    /// <summary>Classification (the default) or regression.</summary>
    public ModelTask Task { get; init; } = ModelTask.Classification;

    /// <summary>For classification, output i is the class <c>ClassNames[i]</c>; null when not recorded.</summary>
    public IReadOnlyList<string>? ClassNames { get; init; }

    /// <summary>Whether the outputs are logits, turned into probabilities by softmax (a model trained with cross-entropy). Default true.</summary>
    public bool OutputsAreLogits { get; init; } = true;

    /// <summary>
    /// How raw data becomes the network's input, as a JSON object whose <c>"kind"</c> names the preprocessing that wrote
    /// it and that reads it back (e.g. a table's imputation and one-hot encoding, an image size and colour mode); null
    /// when the network takes its inputs as they are.
    /// </summary>
    public JsonObject? Preprocessing { get; init; }

    /// <summary>The description as compact JSON, the form stored in a model file.</summary>
    public string ToJson()
    {
        var json = new JsonObject { ["version"] = Version, ["task"] = Task == ModelTask.Regression ? "regression" : "classification" };
        if (InputShape is not null) json["input_shape"] = new JsonArray([.. InputShape.Select(d => (JsonNode)d)]);
        if (ClassNames is not null) json["class_names"] = new JsonArray([.. ClassNames.Select(name => (JsonNode)name)]);
        json["outputs_are_logits"] = OutputsAreLogits;
        if (Preprocessing is not null) json["preprocessing"] = Preprocessing.DeepClone();
        return json.ToJsonString();
    }

    /// <summary>Reads a description written by <see cref="ToJson"/>.</summary>
    /// <param name="json">The JSON text.</param>
    /// <param name="sourceName">The file it came from, for error messages.</param>
    /// <exception cref="ModelFormatException">The JSON is invalid, of a newer version, or has a missing, malformed or unknown field.</exception>
    public static ModelDescription FromJson(string json, string sourceName)
    {
        ArgumentNullException.ThrowIfNull(json);
        ArgumentNullException.ThrowIfNull(sourceName);
        JsonObject document;
        try
        {
            document = JsonNode.Parse(json) as JsonObject ?? throw Error(sourceName, "is not a JSON object");
        }
        catch (JsonException exception)
        {
            throw new ModelFormatException(sourceName, $"the model description is not valid JSON ({exception.Message})", exception);
        }

        foreach (var (key, _) in document)
        {
            if (key is not ("version" or "task" or "input_shape" or "class_names" or "outputs_are_logits" or "preprocessing"))
                throw Error(sourceName, $"has an unknown field '{Quote.Short(key)}'");
        }
        if (document["version"] is not JsonValue versionNode || versionNode.GetValueKind() != JsonValueKind.Number || !versionNode.TryGetValue(out int version) || version < 1)
            throw Error(sourceName, $"needs a positive integer \"version\", got {Quote.Json(document["version"])}");
        if (version > Version)
            throw Error(sourceName, $"has version {version}, newer than the version {Version} this library reads; update Backprop");

        return new ModelDescription
        {
            Task = ReadString(document, "task", sourceName) switch
            {
                null or "classification" => ModelTask.Classification,
                "regression" => ModelTask.Regression,
                var other => throw Error(sourceName, $"\"task\" must be \"classification\" or \"regression\", got \"{Quote.Short(other)}\""),
            },
            InputShape = document["input_shape"] is null ? null : ReadShape(document["input_shape"], sourceName),
            ClassNames = document["class_names"] is null ? null : ReadNames(document["class_names"], sourceName),
            OutputsAreLogits = document["outputs_are_logits"] switch
            {
                null => true,
                JsonValue value when value.GetValueKind() is JsonValueKind.True or JsonValueKind.False => value.GetValue<bool>(),
                var other => throw Error(sourceName, $"\"outputs_are_logits\" must be true or false, got {Quote.Json(other)}"),
            },
            Preprocessing = document["preprocessing"] switch
            {
                null => null,
                JsonObject preprocessing when preprocessing["kind"] is JsonValue kind && kind.GetValueKind() == JsonValueKind.String => (JsonObject)preprocessing.DeepClone(),
                var other => throw Error(sourceName, $"\"preprocessing\" must be an object with a string \"kind\", got {Quote.Json(other)}"),
            },
        };
    }

    /// <summary>The description saved in a model file's metadata, or null when the file has none.</summary>
    /// <exception cref="ModelFormatException">The file is malformed, or its description is.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static ModelDescription? Read(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return FromMetadata(SafeTensorsReader.Read(path).Metadata, path);
    }

    /// <summary>The description in a safetensors file's <c>__metadata__</c> entries, or null when there is none.</summary>
    /// <exception cref="ModelFormatException">The description is malformed.</exception>
    public static ModelDescription? FromMetadata(IReadOnlyDictionary<string, string> metadata, string sourceName)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        return metadata.TryGetValue(MetadataKey, out string? json) ? FromJson(json, sourceName) : null;
    }

    private static ModelFormatException Error(string sourceName, string problem) => new(sourceName, $"the model description {problem}");

    private static string? ReadString(JsonObject document, string name, string sourceName) => document[name] switch
    {
        null => null,
        JsonValue value when value.GetValueKind() == JsonValueKind.String => value.GetValue<string>(),
        var other => throw Error(sourceName, $"\"{name}\" must be a string, got {Quote.Json(other)}"),
    };

    private static int[] ReadShape(JsonNode? node, string sourceName)
    {
        if (node is JsonArray { Count: >= 1 and <= 8 } array)
        {
            var shape = new int[array.Count];
            bool valid = true;
            for (int i = 0; i < shape.Length && valid; i++)
                valid = array[i] is JsonValue value && value.GetValueKind() == JsonValueKind.Number && value.TryGetValue(out shape[i]) && shape[i] >= 1;
            if (valid) return shape;
        }
        throw Error(sourceName, $"\"input_shape\" must be 1 to 8 integers ≥ 1, got {Quote.Json(node)}");
    }

    private static string[] ReadNames(JsonNode? node, string sourceName)
    {
        if (node is not JsonArray array || array.Count > MaxClassNames)
            throw Error(sourceName, string.Create(CultureInfo.InvariantCulture, $"\"class_names\" must be an array of at most {MaxClassNames} strings"));
        var names = new string[array.Count];
        for (int i = 0; i < names.Length; i++)
        {
            if (array[i] is not JsonValue value || value.GetValueKind() != JsonValueKind.String)
                throw Error(sourceName, string.Create(CultureInfo.InvariantCulture, $"\"class_names\"[{i}] must be a string, got {Quote.Json(array[i])}"));
            names[i] = value.GetValue<string>();
        }
        return names;
    }
}
