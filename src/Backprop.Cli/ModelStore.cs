using System.Text.Json;
using Backprop.Cli.Models;
using Backprop.IO;
using Backprop.NN;

namespace Backprop.Cli;

/// <summary>
/// Every model file the tool reads or writes goes through here: the library's own model file (weights and
/// architecture) with a <see cref="ModelDescription"/> of its inputs and outputs, which the tool reads as a
/// <see cref="ModelInfo"/>. Files written before the description existed keep the tool's older
/// <see cref="LegacyInfoKey"/> metadata, which still loads.
/// </summary>
internal static class ModelStore
{
    public const string LegacyInfoKey = "backprop.cli.info";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static void Save(Module model, string path, ModelInfo info) => model.Save(path, info.ToDescription());

    /// <summary>
    /// Loads a model file, or a checkpoint that <c>train --checkpoint-dir</c> wrote (it records the same description),
    /// for evaluate, predict and export: weights that are not all numbers (a run that diverged) are refused.
    /// </summary>
    /// <exception cref="ModelFormatException">The file is not a safetensors file, or not one this tool saved.</exception>
    /// <exception cref="InvalidDataException">A weight is NaN or infinite.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static (Module Model, ModelInfo Info) Load(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: no such model file (train one with backprop train --out {path}).", path);
        var file = SafeTensorsReader.Read(path);
        var info = Info(file, path);
        // The file is read once: its metadata says what it is, its tensors are the weights.
        var model = file.Metadata.ContainsKey(Checkpoint.MetadataKey) ? Checkpoint.Load(file, path).Model : Model.Load(file, path);
        if (model is Sequential { Count: > 0 } sequential && sequential[^1] is Dense last && last.Outputs != info.OutputCount)
            throw new ModelFormatException(path, info.IsRegression ? $"a regression model with {last.Outputs} outputs instead of 1" : $"{info.ClassNames.Count} class names for {last.Outputs} outputs");
        RequireFinite(model, path);
        return (model, info);
    }

    /// <summary>A model whose weights hold NaN or ∞ gives NaN for every input: it is refused, naming the first such tensor.</summary>
    private static void RequireFinite(Module model, string path)
    {
        foreach (var (name, tensor) in model.NamedParameters().Concat(model.NamedBuffers()))
        {
            // One tensor's copy at a time, in its own precision: no more than the largest tensor is held twice.
            bool finite = tensor.DType == DType.Float32 ? tensor.ToFloatArray().All(float.IsFinite) : tensor.ToDoubleArray().All(double.IsFinite);
            if (!finite)
                throw new InvalidDataException($"{path}: weight '{name}' holds NaN or infinite values, so every output would be NaN: the training run diverged; train again with a lower --lr or --clip-norm 1.");
        }
    }

    /// <summary>One example's input shape as the file records it (its description, or the tool's older metadata); null when it records none.</summary>
    /// <exception cref="ModelFormatException">The file or its description is malformed.</exception>
    public static IReadOnlyList<int>? RecordedInputShape(SafeTensorsFile file, string path)
    {
        if (ModelDescription.FromMetadata(file.Metadata, path) is { } description) return description.InputShape;
        return file.Metadata.ContainsKey(LegacyInfoKey) ? Info(file, path).InputShape : null;
    }

    private static ModelInfo Info(SafeTensorsFile file, string path)
    {
        if (ModelDescription.FromMetadata(file.Metadata, path) is { } description) return ModelInfo.From(description, path);
        if (!file.Metadata.TryGetValue(LegacyInfoKey, out string? json) && file.Metadata.ContainsKey(Checkpoint.MetadataKey))
            throw new ModelFormatException(path, $"a checkpoint without '{ModelDescription.MetadataKey}' (written by an older backprop or by code), so its data and classes are unknown; continue it with backprop train --resume {path} to write a model file");
        if (json is null)
            throw new ModelFormatException(path, $"no '{ModelDescription.MetadataKey}' in its metadata: a safetensors file, but not a model saved by backprop train");
        ModelInfo? info;
        try
        {
            info = JsonSerializer.Deserialize<ModelInfo>(json, Json);
        }
        catch (JsonException exception)
        {
            throw new ModelFormatException(path, $"metadata '{LegacyInfoKey}' is not a valid description: {exception.Message}", exception);
        }
        if (info is not { ClassNames: not null, FeatureNames: not null, InputKind: not null, Loss: not null, InputShape.Count: > 0 })
            throw new ModelFormatException(path, $"metadata '{LegacyInfoKey}' lacks a field of the model's description");
        return info;
    }
}
