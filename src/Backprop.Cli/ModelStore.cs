using System.Text.Json;
using Backprop.Cli.Models;
using Backprop.IO;
using Backprop.NN;

namespace Backprop.Cli;

/// <summary>
/// Every model file the tool reads or writes goes through here: a safetensors file with the weights under their
/// <see cref="Module.NamedParameters"/>/<see cref="Module.NamedBuffers"/> names, and in <c>__metadata__</c> the
/// network (<see cref="ArchitectureKey"/>, an <see cref="Mlp"/>) and what the tool needs to use it (<see cref="InfoKey"/>, a
/// <see cref="ModelInfo"/>). Once the library saves and loads any model itself, only the architecture part changes.
/// </summary>
internal static class ModelStore
{
    public const string ArchitectureKey = "backprop.cli.mlp";

    public const string InfoKey = "backprop.cli.info";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static void Save(Module model, string path, ModelInfo info)
    {
        var architecture = Mlp.Describe(model) ?? throw new ArgumentException($"ModelStore: {model} is not a network backprop train builds.", nameof(model));
        var entries = model.NamedParameters().Concat(model.NamedBuffers())
            .Select(pair => SafeTensorsEntry.FromFloats(pair.Item1, pair.Item2.ToFloatArray(), [.. pair.Item2.Shape.Select(d => (long)d)]));
        SafeTensorsWriter.Write(path, entries, new Dictionary<string, string>
        {
            ["format"] = "pt",
            [ArchitectureKey] = JsonSerializer.Serialize(architecture, Json),
            [InfoKey] = JsonSerializer.Serialize(info, Json),
        });
    }

    /// <exception cref="ModelFormatException">The file is not a safetensors file, or not one this tool saved.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static (Module Model, ModelInfo Info) Load(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: no such model file (train one with backprop train --out {path}).", path);
        var file = SafeTensorsReader.Read(path);
        var architecture = Metadata<Mlp>(file, path, ArchitectureKey);
        var info = Metadata<ModelInfo>(file, path, InfoKey);
        if (!Mlp.Activations.ContainsKey(architecture.Activation))
            throw new ModelFormatException(path, $"unknown activation '{architecture.Activation}' in {ArchitectureKey}");
        if (info.ClassNames.Count != architecture.Outputs)
            throw new ModelFormatException(path, $"{info.ClassNames.Count} class names for {architecture.Outputs} outputs");
        Module model;
        try
        {
            model = architecture.Create();
        }
        catch (ArgumentException exception)
        {
            throw new ModelFormatException(path, $"{ArchitectureKey} describes no valid network: {exception.Message}", exception);
        }
        foreach (var (name, tensor) in model.NamedParameters().Concat(model.NamedBuffers()))
        {
            if (!file.TryGetEntry(name, out var entry))
                throw new ModelFormatException(path, $"tensor '{name}' of {model} is missing");
            if (!entry.Shape.SequenceEqual(tensor.Shape.Select(d => (long)d)))
                throw new ModelFormatException(path, $"tensor '{name}' has shape [{string.Join(", ", entry.Shape)}] but {model} needs [{string.Join(", ", tensor.Shape)}]");
            tensor.CopyFrom(Tensor.FromArray(entry.ToFloatArray(), tensor.Shape));
        }
        return (model, info);
    }

    private static T Metadata<T>(SafeTensorsFile file, string path, string key)
    {
        if (!file.Metadata.TryGetValue(key, out string? json))
            throw new ModelFormatException(path, $"no '{key}' in its metadata: a safetensors file, but not a model saved by backprop train");
        try
        {
            return JsonSerializer.Deserialize<T>(json, Json) ?? throw new JsonException("null");
        }
        catch (JsonException exception)
        {
            throw new ModelFormatException(path, $"metadata '{key}' is not a valid description: {exception.Message}", exception);
        }
    }
}
