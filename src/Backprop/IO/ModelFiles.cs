using Backprop.IO;
using Backprop.NN;

namespace Backprop.IO;

/// <summary>
/// Model files for any <see cref="Module"/>: <c>model.Save(path)</c> writes one <c>.safetensors</c>
/// file holding the weights and the architecture, which <see cref="Model.Load(string)"/> turns back into the
/// same model; <c>model.LoadWeights(path)</c> reads weights written by PyTorch or anyone else into a
/// model built in code.
/// </summary>
/// <example>
/// <code>
/// model.Save("mnist.safetensors");
/// Module again = Model.Load("mnist.safetensors");          // same outputs and gradients, bit for bit
/// var fresh = new Sequential(new Dense(784, 128), new ReLU(), new Dense(128, 10));
/// fresh.LoadWeights("from_pytorch.safetensors");             // names "0.weight", "0.bias", "2.weight", ...
/// </code>
/// </example>
public static class ModelFiles
{
    /// <summary>The <c>__metadata__</c> key under which the architecture JSON is stored.</summary>
    public const string ArchitectureKey = "backprop.architecture";

    /// <summary>
    /// Saves the model as one safetensors file: every parameter and buffer under its PyTorch name in its
    /// own dtype (F32 or F64), and the architecture (see <see cref="ModuleSerializer"/>) in the header's
    /// <c>__metadata__</c> under <c>"backprop.architecture"</c> (with <c>"format": "pt"</c>, which
    /// Hugging Face tools expect). The write is atomic: a failure leaves any previous file intact.
    /// </summary>
    /// <param name="model">The model to save.</param>
    /// <param name="path">The file to create or replace.</param>
    /// <param name="metadata">
    /// Extra <c>__metadata__</c> entries kept with the model, such as what an application needs to use it
    /// (class names, the input's meaning); read them back with <c>SafeTensorsReader.Read(path).Metadata</c>.
    /// Null (the default) adds none. The keys <c>"format"</c>, <c>"backprop.architecture"</c> and <c>"backprop.description"</c> are the file's own.
    /// </param>
    /// <exception cref="NotSupportedException">A layer type is not registered with <see cref="ModuleSerializer"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="metadata"/> uses one of the file's own keys.</exception>
    /// <exception cref="IOException">The file cannot be written.</exception>
    /// <example>
    /// <code>
    /// model.Save("digits.safetensors", new Dictionary&lt;string, string&gt; { ["myapp.classes"] = "[\"0\",\"1\"]" });
    /// string classes = SafeTensorsReader.Read("digits.safetensors").Metadata["myapp.classes"];
    /// </code>
    /// </example>
    public static void Save(this Module model, string path, IReadOnlyDictionary<string, string>? metadata = null) => Write(model, path, null, metadata);

    /// <summary>
    /// Saves the model as <see cref="Save(Module, string, IReadOnlyDictionary{string, string}?)"/> does, with what its
    /// inputs and outputs mean (<see cref="ModelDescription"/>) under <see cref="ModelDescription.MetadataKey"/>, so that
    /// predict, evaluate and export can use the file alone.
    /// </summary>
    /// <exception cref="NotSupportedException">A layer type is not registered with <see cref="ModuleSerializer"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="metadata"/> uses one of the file's own keys.</exception>
    /// <exception cref="IOException">The file cannot be written.</exception>
    public static void Save(this Module model, string path, ModelDescription description, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(description);
        Write(model, path, description, metadata);
    }

    private static void Write(Module model, string path, ModelDescription? description, IReadOnlyDictionary<string, string>? metadata)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentException.ThrowIfNullOrEmpty(path);
        var entries = Metadata(model);
        if (description is not null) entries[ModelDescription.MetadataKey] = description.ToJson();
        foreach (var (key, value) in metadata ?? new Dictionary<string, string>())
        {
            if (!entries.TryAdd(key, value) || key == ModelDescription.MetadataKey)
                throw new ArgumentException($"Save: the metadata key '{key}' is the model file's own; choose another key for application metadata.", nameof(metadata));
        }
        SafeTensorsWriter.Write(path, ModelTensors.ToEntries(model), entries);
    }

    /// <summary>
    /// Loads the tensors of a safetensors file into this model's parameters and buffers by name (PyTorch's
    /// names and layouts: Dense weight [outputs, inputs]), converting F32, F64, F16 and BF16 to each
    /// tensor's dtype; buffers also take integer tensors (I64, I32, U8, BOOL…) whose values they hold exactly, as
    /// PyTorch stores BatchNorm's <c>num_batches_tracked</c> in I64, so <c>safetensors.torch.save_file(model.state_dict(), path)</c>
    /// loads as it is. The tensors are changed in place, so an optimiser built on them stays valid.
    /// </summary>
    /// <param name="model">The model to fill.</param>
    /// <param name="path">The safetensors file.</param>
    /// <param name="strict">
    /// When true (the default), any tensor of the model missing from the file, any tensor of the file
    /// not in the model, and any shape or dtype that does not fit is an error listing every such
    /// mismatch, and nothing is loaded. When false, what matches is loaded and the rest is reported.
    /// </param>
    /// <returns>What was loaded and, when not strict, what was not.</returns>
    /// <exception cref="ModelFormatException">The file is malformed, or (strict) it does not match the model.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static WeightLoadReport LoadWeights(this Module model, string path, bool strict = true)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentException.ThrowIfNullOrEmpty(path);
        return ModelTensors.Load(model, SafeTensorsReader.Read(path), path, strict);
    }

    /// <summary>
    /// Exports the model's evaluation form as an ONNX file (opset 13+, input <c>"input"</c> [batch, …],
    /// output <c>"output"</c>, batch dimension symbolic); see <see cref="OnnxExporter.Export"/>.
    /// </summary>
    /// <param name="model">The model.</param>
    /// <param name="path">The file to create or replace, atomically.</param>
    /// <param name="inputShape">The per-example input shape, e.g. <c>[784]</c>; null takes the description's, else works it out from the first layer.</param>
    /// <param name="description">The class names and preprocessing to write into the file's <c>metadata_props</c> (with the Backprop version, always written); e.g. <c>ModelDescription.Read(path)</c> of the saved model.</param>
    /// <exception cref="NotSupportedException">A layer neither implements <see cref="IOnnxExportable"/> nor has an ONNX export registered.</exception>
    public static void ExportOnnx(this Module model, string path, int[]? inputShape = null, ModelDescription? description = null) =>
        OnnxExporter.Export(model, path, inputShape, description);

    internal static Dictionary<string, string> Metadata(Module model) => new(StringComparer.Ordinal)
    {
        ["format"] = "pt",
        [ArchitectureKey] = ModuleSerializer.ToJson(model),
    };

    /// <summary>Rebuilds the model a file's architecture describes and fills it strictly from the tensors named <paramref name="prefix"/> + name.</summary>
    internal static Module Rebuild(SafeTensorsFile file, string sourceName, string prefix = "")
    {
        if (!file.Metadata.TryGetValue(ArchitectureKey, out string? architecture))
            throw new ModelFormatException(sourceName, $"the file has no \"{ArchitectureKey}\" metadata, so it holds weights only; build the model in code and call LoadWeights");
        Module model = ModuleSerializer.FromJson(architecture, sourceName, file.Entries.Sum(entry => entry.ElementCount));
        ModelTensors.Load(model, file, sourceName, strict: true, prefix);
        return model;
    }
}

/// <summary>Opens model files written by <see cref="ModelFiles.Save(Module, string, IReadOnlyDictionary{string, string}?)"/>.</summary>
public static class Model
{
    /// <summary>
    /// Rebuilds the model saved at <paramref name="path"/>: its layers from the architecture in the
    /// metadata, its parameters and buffers from the tensors. Outputs and gradients are bit-identical to
    /// the saved model's. The model is returned in training mode, as a new model would be.
    /// </summary>
    /// <exception cref="ModelFormatException">The file is malformed, has no architecture, names an unknown layer, or its tensors do not match the architecture; the message names the file and the problem.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static Module Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return ModelFiles.Rebuild(SafeTensorsReader.Read(path), path);
    }

    /// <summary>As <see cref="Load(string)"/>, reading the file's bytes from <paramref name="stream"/>.</summary>
    /// <param name="stream">The file's content, read from its current position to the end.</param>
    /// <param name="sourceName">The name error messages give the data, such as its path or URL.</param>
    /// <exception cref="ModelFormatException">As <see cref="Load(string)"/>.</exception>
    public static Module Load(Stream stream, string sourceName)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(sourceName);
        return ModelFiles.Rebuild(SafeTensorsReader.Read(stream, sourceName), sourceName);
    }

    /// <summary>As <see cref="Load(string)"/>, from a file already read (to look at its metadata first, say) rather than reading it again.</summary>
    /// <param name="file">The model file's content.</param>
    /// <param name="sourceName">The name error messages give the data, such as its path.</param>
    /// <exception cref="ModelFormatException">As <see cref="Load(string)"/>.</exception>
    public static Module Load(SafeTensorsFile file, string sourceName)
    {
        ArgumentNullException.ThrowIfNull(file);
        ArgumentNullException.ThrowIfNull(sourceName);
        return ModelFiles.Rebuild(file, sourceName);
    }
}
