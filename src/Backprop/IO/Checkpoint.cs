using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Backprop.IO;
using Backprop.NN;
using Backprop.Optimizers;
using Backprop.Training;

namespace Backprop.IO;

/// <summary>
/// A training checkpoint: the model, the optimiser's state (momentum buffers, step count, learning
/// rate), the number of epochs completed and free-form extra state, in one safetensors file. Because
/// the data loader derives each epoch's shuffle from (seed, epoch), the epoch number is all it needs to
/// continue; training resumed from a checkpoint gives the same bits as training that never stopped.
/// </summary>
/// <remarks>
/// <para>Layout: the model's tensors under <c>model.</c> + their names, the optimiser's buffers as F64
/// tensors <c>optimizer.{parameter index}.{buffer name}</c>, the architecture under
/// <c>"backprop.architecture"</c> (when every layer type is registered) and the rest as JSON under
/// <c>"backprop.checkpoint"</c> in <c>__metadata__</c>, including the <see cref="IExtraState"/> of every module
/// by its path, such as a <see cref="Dropout"/> layer's generator position (<c>"dropout_generators": {"3": "…"}</c>:
/// the key's name is from when Dropout was the only module with extra state), so masks continue where they
/// were. Writes are atomic.</para>
/// <code>
/// Checkpoint.Save("run/epoch2.safetensors", model, sgd, epoch: 2);
/// // later, in a new process:
/// var model = new Sequential(new Dense(2, 8), new ReLU(), new Dense(8, 3));
/// var sgd = new Sgd(model.Parameters(), 0.1, momentum: 0.9);
/// Checkpoint checkpoint = Checkpoint.Load("run/epoch2.safetensors", model, sgd);   // checkpoint.Epoch == 2
/// </code>
/// </remarks>
public sealed class Checkpoint
{
    /// <summary>The <c>__metadata__</c> key of the checkpoint's JSON (epoch, optimiser, extra state).</summary>
    public const string MetadataKey = "backprop.checkpoint";

    private const string ModelPrefix = "model.";
    private const string OptimizerPrefix = "optimizer.";

    private readonly Action _restoreExtraState;

    private Checkpoint(
        Module model, int epoch, string? optimizerType, double? learningRate, OptimizerState? optimizerState, IReadOnlyDictionary<string, string> extra, Action restoreExtraState)
    {
        _restoreExtraState = restoreExtraState;
        Model = model;
        Epoch = epoch;
        OptimizerType = optimizerType;
        LearningRate = learningRate;
        OptimizerState = optimizerState;
        Extra = extra;
    }

    /// <summary>The model with the checkpoint's weights (the one passed to <see cref="Load(string, Module, Optimizer?)"/>, or a rebuilt one).</summary>
    public Module Model { get; }

    /// <summary>The number of epochs completed when the checkpoint was saved; training continues with epoch <c>Epoch + 1</c>.</summary>
    public int Epoch { get; }

    /// <summary>The optimiser's class name, e.g. <c>"Sgd"</c>, or null when none was saved.</summary>
    public string? OptimizerType { get; }

    /// <summary>The optimiser's learning rate when saved, or null when no optimiser was saved.</summary>
    public double? LearningRate { get; }

    /// <summary>The optimiser's step count and buffers, or null when no optimiser was saved.</summary>
    public OptimizerState? OptimizerState { get; }

    /// <summary>The caller's extra state, e.g. the best validation loss so far.</summary>
    public IReadOnlyDictionary<string, string> Extra { get; }

    /// <summary>Saves a checkpoint atomically (a failure leaves any previous file intact).</summary>
    /// <param name="path">The file to create or replace.</param>
    /// <param name="model">The model; its architecture is included when every layer type is registered with <see cref="ModuleSerializer"/>.</param>
    /// <param name="optimizer">The optimiser whose state to keep, or null.</param>
    /// <param name="epoch">Epochs completed (≥ 0).</param>
    /// <param name="extra">Free-form strings kept with the checkpoint, or null.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="epoch"/> is negative.</exception>
    /// <exception cref="IOException">The file cannot be written.</exception>
    public static void Save(string path, Module model, Optimizer? optimizer, int epoch, IReadOnlyDictionary<string, string>? extra = null) =>
        Save(path, model, optimizer, epoch, extra, null);

    /// <summary>Saves a checkpoint that also records <paramref name="description"/>, as a model file does (see <see cref="FitOptions.CheckpointDescription"/>).</summary>
    internal static void Save(string path, Module model, Optimizer? optimizer, int epoch, IReadOnlyDictionary<string, string>? extra, ModelDescription? description)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(model);
        ArgumentOutOfRangeException.ThrowIfNegative(epoch);
        var state = optimizer?.GetState();
        var info = new JsonObject
        {
            ["version"] = 1,
            ["epoch"] = epoch,
            ["optimizer"] = optimizer?.GetType().Name,
            ["learning_rate"] = optimizer?.LearningRate,
            ["step_count"] = state?.StepCount,
            ["parameter_count"] = state?.ParameterStates.Count,
            ["dropout_generators"] = ExtraStates.Collect(model),
            ["extra"] = new JsonObject([.. (extra ?? new Dictionary<string, string>()).Select(pair => KeyValuePair.Create(pair.Key, (JsonNode?)pair.Value))]),
        };
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal) { [MetadataKey] = info.ToJsonString() };
        if (IsSerializable(model)) metadata[ModelFiles.ArchitectureKey] = ModuleSerializer.ToJson(model);
        if (description is not null) metadata[ModelDescription.MetadataKey] = description.ToJson();

        var entries = ModelTensors.ToEntries(model, ModelPrefix).ToList();
        var parameterStates = state?.ParameterStates ?? [];
        for (int index = 0; index < parameterStates.Count; index++)
            foreach (var (name, values) in parameterStates[index].OrderBy(pair => pair.Key, StringComparer.Ordinal))
                entries.Add(SafeTensorsEntry.FromDoubles(string.Create(CultureInfo.InvariantCulture, $"{OptimizerPrefix}{index}.{name}"), values, values.Length));
        SafeTensorsWriter.Write(path, entries, metadata);
    }

    /// <summary>Loads a checkpoint, rebuilding the model from its architecture; restore an optimiser with <see cref="Restore"/>.</summary>
    /// <exception cref="ModelFormatException">The file is malformed, not a checkpoint, or has no architecture.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static Checkpoint Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return Load(SafeTensorsReader.Read(path), path);
    }

    /// <summary>As <see cref="Load(string)"/>, from a file already read (to look at its metadata first, say) rather than reading it again.</summary>
    /// <param name="file">The checkpoint's content.</param>
    /// <param name="sourceName">The name error messages give the data, such as its path.</param>
    /// <exception cref="ModelFormatException">As <see cref="Load(string)"/>.</exception>
    public static Checkpoint Load(SafeTensorsFile file, string sourceName)
    {
        ArgumentNullException.ThrowIfNull(file);
        ArgumentNullException.ThrowIfNull(sourceName);
        EnsureCheckpoint(file, sourceName);
        var checkpoint = Parse(file, sourceName, ModelFiles.Rebuild(file, sourceName, ModelPrefix));
        checkpoint._restoreExtraState();
        return checkpoint;
    }

    /// <summary>
    /// Loads a checkpoint into an existing model (strictly: names and shapes must match) and, when given,
    /// an optimiser of the same type over that model's parameters, as a new process resuming training would.
    /// </summary>
    /// <exception cref="ModelFormatException">The file is malformed, not a checkpoint, or does not match the model or the optimiser's parameters.</exception>
    /// <exception cref="ArgumentException">The optimiser is not of the type saved, or none was saved.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static Checkpoint Load(string path, Module model, Optimizer? optimizer)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(model);
        SafeTensorsFile file = SafeTensorsReader.Read(path);
        var checkpoint = Parse(file, path, model);
        ModelTensors.Load(model, file, path, strict: true, ModelPrefix);
        if (optimizer is not null) checkpoint.RestoreInto(optimizer, path);
        checkpoint._restoreExtraState();
        return checkpoint;
    }

    /// <summary>Puts the saved optimiser state and learning rate into <paramref name="optimizer"/>, which must be of the saved type and over <see cref="Model"/>'s parameters.</summary>
    /// <exception cref="ArgumentException">The optimiser is of another type, none was saved, or the state does not fit its parameters.</exception>
    public void Restore(Optimizer optimizer) => RestoreInto(optimizer, null);

    private void RestoreInto(Optimizer optimizer, string? sourceName)
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        if (OptimizerState is null || LearningRate is null)
            throw new ArgumentException("Checkpoint: no optimiser state was saved in this checkpoint.", nameof(optimizer));
        if (OptimizerType != optimizer.GetType().Name)
            throw new ArgumentException($"Checkpoint: the state was saved from {OptimizerType} and cannot be loaded into {optimizer.GetType().Name}.", nameof(optimizer));
        try
        {
            optimizer.LoadState(OptimizerState);
            optimizer.LearningRate = LearningRate.Value;
        }
        catch (ArgumentException exception) when (sourceName is not null)
        {
            throw new ModelFormatException(sourceName, $"the optimiser state does not fit the optimiser ({exception.Message})", exception);
        }
    }

    private static void EnsureCheckpoint(SafeTensorsFile file, string sourceName)
    {
        if (!file.Metadata.ContainsKey(MetadataKey))
            throw new ModelFormatException(sourceName, $"the file has no \"{MetadataKey}\" metadata, so it is not a checkpoint (Model.Load reads model files)");
    }

    private static Checkpoint Parse(SafeTensorsFile file, string sourceName, Module model)
    {
        EnsureCheckpoint(file, sourceName);
        string text = file.Metadata[MetadataKey];
        try
        {
            var info = JsonNode.Parse(text) as JsonObject ?? throw new FormatException("not a JSON object");
            int epoch = Required(info, "epoch").GetValue<int>();
            if (epoch < 0) throw new ModelFormatException(sourceName, $"the checkpoint's epoch is {epoch}; it must be ≥ 0");
            var extra = Required(info, "extra").AsObject().ToDictionary(pair => pair.Key, pair => (pair.Value ?? throw new FormatException($"extra '{pair.Key}' is null")).GetValue<string>(), StringComparer.Ordinal);
            // Checkpoints written before extra state was saved have no entry; their dropout masks start from the layers' seeds.
            Action restoreExtraState = info["dropout_generators"] is JsonNode states ? ExtraStates.Read(model, states.AsObject(), sourceName) : () => { };
            if (info["optimizer"] is null) return new Checkpoint(model, epoch, null, null, null, extra, restoreExtraState);

            int parameterCount = Required(info, "parameter_count").GetValue<int>();
            if (parameterCount < 0 || parameterCount > file.Entries.Count + 1_000_000)
                throw new ModelFormatException(sourceName, $"the checkpoint claims {parameterCount} optimised parameters");
            var buffersByParameter = Enumerable.Range(0, parameterCount).Select(_ => new Dictionary<string, double[]>(StringComparer.Ordinal)).ToArray();
            foreach (var entry in file.Entries.Where(e => e.Name.StartsWith(OptimizerPrefix, StringComparison.Ordinal)))
            {
                string rest = entry.Name[OptimizerPrefix.Length..];
                int dot = rest.IndexOf('.', StringComparison.Ordinal);
                if (dot <= 0 || !int.TryParse(rest[..dot], NumberStyles.None, CultureInfo.InvariantCulture, out int index) || entry.Shape.Count != 1)
                    throw new ModelFormatException(sourceName, $"tensor '{entry.Name}' is not an optimiser buffer 'optimizer.<index>.<name>' of rank 1");
                if (index >= parameterCount)
                    throw new ModelFormatException(sourceName, $"tensor '{entry.Name}' belongs to parameter {index}, but the checkpoint has {parameterCount} optimised parameters");
                buffersByParameter[index][rest[(dot + 1)..]] = entry.ToDoubleArray();
            }

            double learningRate = Required(info, "learning_rate").GetValue<double>();
            var state = new OptimizerState(learningRate, Required(info, "step_count").GetValue<long>(), buffersByParameter);
            return new Checkpoint(model, epoch, info["optimizer"]!.GetValue<string>(), learningRate, state, extra, restoreExtraState);
        }
        catch (Exception exception) when (exception is JsonException or InvalidOperationException or FormatException)
        {
            throw new ModelFormatException(sourceName, $"the \"{MetadataKey}\" metadata is malformed ({exception.Message})", exception);
        }
    }

    private static JsonNode Required(JsonObject info, string name) => info[name] ?? throw new FormatException($"\"{name}\" is missing");

    private static bool IsSerializable(Module module) =>
        ModuleSerializer.IsRegistered(module.GetType()) && module.NamedChildren().All(child => IsSerializable(child.Module));
}
