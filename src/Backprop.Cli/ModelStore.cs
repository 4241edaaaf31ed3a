using System.Text.Json;
using Backprop.Cli.Models;
using Backprop.IO;
using Backprop.NN;

namespace Backprop.Cli;

/// <summary>
/// Every model file the tool reads or writes goes through here: the library's own model file (<see cref="ModelFiles.Save"/>,
/// <see cref="Model.Load(string)"/>: weights and architecture), with what the tool needs to use the model, a
/// <see cref="ModelInfo"/>, as JSON in the <c>__metadata__</c> under <see cref="InfoKey"/>.
/// </summary>
internal static class ModelStore
{
    public const string InfoKey = "backprop.cli.info";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static void Save(Module model, string path, ModelInfo info) =>
        model.Save(path, new Dictionary<string, string> { [InfoKey] = JsonSerializer.Serialize(info, Json) });

    /// <exception cref="ModelFormatException">The file is not a safetensors file, or not one this tool saved.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static (Module Model, ModelInfo Info) Load(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: no such model file (train one with backprop train --out {path}).", path);
        var info = Info(SafeTensorsReader.Read(path), path);
        var model = Model.Load(path);
        if (model is Sequential { Count: > 0 } sequential && sequential[^1] is Dense last && last.Outputs != info.ClassNames.Count)
            throw new ModelFormatException(path, $"{info.ClassNames.Count} class names for {last.Outputs} outputs");
        return (model, info);
    }

    private static ModelInfo Info(SafeTensorsFile file, string path)
    {
        if (!file.Metadata.TryGetValue(InfoKey, out string? json))
            throw new ModelFormatException(path, $"no '{InfoKey}' in its metadata: a safetensors file, but not a model saved by backprop train");
        ModelInfo? info;
        try
        {
            info = JsonSerializer.Deserialize<ModelInfo>(json, Json);
        }
        catch (JsonException exception)
        {
            throw new ModelFormatException(path, $"metadata '{InfoKey}' is not a valid description: {exception.Message}", exception);
        }
        if (info is not { ClassNames: not null, FeatureNames: not null, InputKind: not null, Loss: not null, InputShape.Count: > 0 })
            throw new ModelFormatException(path, $"metadata '{InfoKey}' lacks a field of the model's description");
        return info;
    }
}
