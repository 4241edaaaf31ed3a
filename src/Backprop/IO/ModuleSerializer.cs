using System.Text.Json;
using System.Text.Json.Nodes;
using Backprop.NN;

namespace Backprop.IO;

/// <summary>
/// Turns a module tree into the versioned architecture JSON stored in a model file, and back. Each layer
/// type describes itself (its constructor arguments) and builds itself from that description through
/// <see cref="ISerializableLayer{TSelf}"/>; this class only collects the layer types by their names.
/// Containers describe and build their children through <see cref="Describe"/> and <see cref="LayerArguments.GetModules"/>.
/// </summary>
/// <remarks>
/// <para>The document is
/// <c>{"format":"backprop.model","version":1,"dtype":"float32","model":{"type":"Sequential","layers":[{"type":"Dense","inputs":784,"outputs":128,"bias":true},{"type":"ReLU"}]}}</c>:
/// each layer is an object with its registered <c>"type"</c> and its arguments. Weights are not in
/// it; they are the file's tensors, named by <see cref="Module.NamedParameters"/>.</para>
/// <para>Backprop's own layers are found by their interface when this class is first used; a layer of your
/// own calls <see cref="Register{TLayer}()"/> once before its first save or load, and a type you cannot
/// change is registered with describe and build functions.</para>
/// </remarks>
public static class ModuleSerializer
{
    /// <summary>The value of the document's <c>"format"</c> field.</summary>
    public const string FormatName = "backprop.model";

    /// <summary>The newest document version this library writes and reads.</summary>
    public const int Version = 1;

    private static readonly Lock Gate = new();
    private static readonly Dictionary<Type, (string Name, Func<Module, JsonObject> Describe)> Describers = [];
    private static readonly Dictionary<string, Func<LayerArguments, Module>> Builders = new(StringComparer.Ordinal);

    static ModuleSerializer() => RegisterBuiltInLayers();

    /// <summary>Registers a layer type that describes itself, under its <see cref="ISerializableLayer{TSelf}.TypeName"/>.</summary>
    /// <exception cref="ArgumentException">The type name is empty, or already registered for another type.</exception>
    public static void Register<TLayer>() where TLayer : Module, ISerializableLayer<TLayer> =>
        Register<TLayer>(TLayer.TypeName, layer => layer.DescribeArguments(), TLayer.FromArguments);

    /// <summary>Registers how layers of type <typeparamref name="TModule"/> are saved and rebuilt under <paramref name="typeName"/>.</summary>
    /// <param name="typeName">The <c>"type"</c> written to the file, e.g. <c>"Dense"</c>; stable across versions.</param>
    /// <param name="describe">The constructor arguments of a layer, without <c>"type"</c> (an empty object when there are none).</param>
    /// <param name="build">A new layer from those arguments. It should not draw from <see cref="Rng"/> (pass a fixed seed) because the weights are overwritten anyway.</param>
    /// <exception cref="ArgumentException">The type name is empty, or already registered for another type.</exception>
    public static void Register<TModule>(string typeName, Func<TModule, JsonObject> describe, Func<LayerArguments, TModule> build) where TModule : Module
    {
        ArgumentException.ThrowIfNullOrEmpty(typeName);
        ArgumentNullException.ThrowIfNull(describe);
        ArgumentNullException.ThrowIfNull(build);
        lock (Gate)
        {
            if (Builders.ContainsKey(typeName) && !(Describers.TryGetValue(typeof(TModule), out var existing) && existing.Name == typeName))
                throw new ArgumentException($"ModuleSerializer: the type name '{typeName}' is already registered for another layer type.", nameof(typeName));
            Describers[typeof(TModule)] = (typeName, module => describe((TModule)module));
            Builders[typeName] = arguments => build(arguments);
        }
    }

    /// <summary>Whether layers of <paramref name="type"/> can be saved.</summary>
    public static bool IsRegistered(Type type)
    {
        lock (Gate) return Describers.ContainsKey(type);
    }

    /// <summary>The description of <paramref name="module"/> and, for containers, its children: <c>{"type": ..., arguments...}</c>.</summary>
    /// <exception cref="NotSupportedException">The module's type (or a child's) is not registered.</exception>
    public static JsonObject Describe(Module module)
    {
        ArgumentNullException.ThrowIfNull(module);
        (string Name, Func<Module, JsonObject> Describe) entry;
        lock (Gate)
        {
            if (!Describers.TryGetValue(module.GetType(), out entry))
                throw new NotSupportedException($"{module.GetType().Name} cannot be saved with its architecture: implement ISerializableLayer<{module.GetType().Name}> and call ModuleSerializer.Register<{module.GetType().Name}>() once (or save the weights only).");
        }

        var description = new JsonObject { ["type"] = entry.Name };
        foreach (var (key, value) in entry.Describe(module).ToArray())
            description[key] = value?.DeepClone();
        return description;
    }

    /// <summary>The whole architecture document for <paramref name="model"/>, as compact JSON.</summary>
    /// <exception cref="NotSupportedException">A layer type is not registered.</exception>
    public static string ToJson(Module model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var document = new JsonObject
        {
            ["format"] = FormatName,
            ["version"] = Version,
            ["dtype"] = model.DType == DType.Float64 ? "float64" : "float32",
            ["model"] = Describe(model),
        };
        return document.ToJsonString();
    }

    /// <summary>Builds the module tree an architecture document describes, converted to the document's dtype; its weights are placeholders.</summary>
    /// <param name="json">The document.</param>
    /// <param name="sourceName">The file it came from, for error messages.</param>
    /// <param name="maxElements">The most tensor elements the model may have (a loader passes the number its file holds); see <see cref="LayerArguments.Allocates"/>.</param>
    /// <exception cref="ModelFormatException">The JSON is invalid, of another format or a newer version, names an unknown layer type, or has a missing or invalid argument.</exception>
    public static Module FromJson(string json, string sourceName, long maxElements = long.MaxValue)
    {
        ArgumentNullException.ThrowIfNull(json);
        ArgumentNullException.ThrowIfNull(sourceName);
        JsonObject document;
        try
        {
            document = JsonNode.Parse(json) as JsonObject ?? throw new ModelFormatException(sourceName, "the architecture is not a JSON object");
        }
        catch (JsonException exception)
        {
            throw new ModelFormatException(sourceName, $"the architecture is not valid JSON ({exception.Message})", exception);
        }

        if (document["format"] is not JsonValue format || format.GetValueKind() != JsonValueKind.String || format.GetValue<string>() != FormatName)
            throw new ModelFormatException(sourceName, $"the architecture's \"format\" must be \"{FormatName}\", got {document["format"]?.ToJsonString() ?? "nothing"}");
        if (document["version"] is not JsonValue versionNode || versionNode.GetValueKind() != JsonValueKind.Number || !versionNode.TryGetValue(out int version) || version < 1)
            throw new ModelFormatException(sourceName, $"the architecture's \"version\" must be a positive integer, got {document["version"]?.ToJsonString() ?? "nothing"}");
        if (version > Version)
            throw new ModelFormatException(sourceName, $"the architecture has version {version}, newer than the version {Version} this library reads; update Backprop");
        DType dtype = (document["dtype"] as JsonValue)?.GetValueKind() == JsonValueKind.String ? document["dtype"]!.GetValue<string>() switch
        {
            "float32" => DType.Float32,
            "float64" => DType.Float64,
            var other => throw new ModelFormatException(sourceName, $"the architecture's \"dtype\" must be \"float32\" or \"float64\", got \"{other}\""),
        } : throw new ModelFormatException(sourceName, $"the architecture's \"dtype\" must be \"float32\" or \"float64\", got {document["dtype"]?.ToJsonString() ?? "nothing"}");

        return Build(document["model"], "model", sourceName, new ElementBudget(maxElements)).To(dtype);
    }

    /// <summary>Builds one layer description; <paramref name="path"/> locates it for error messages.</summary>
    internal static Module Build(JsonNode? node, string path, string sourceName, ElementBudget budget)
    {
        if (node is not JsonObject json)
            throw new ModelFormatException(sourceName, $"layer {path}: expected a JSON object with a \"type\", got {node?.ToJsonString() ?? "nothing"}");
        if (json["type"] is not JsonValue typeNode || typeNode.GetValueKind() != JsonValueKind.String)
            throw new ModelFormatException(sourceName, $"layer {path}: \"type\" must be a string, got {json["type"]?.ToJsonString() ?? "nothing"}");
        string typeName = typeNode.GetValue<string>();
        Func<LayerArguments, Module>? build;
        lock (Gate)
        {
            Builders.TryGetValue(typeName, out build);
        }

        if (build is null)
            throw new ModelFormatException(sourceName, $"layer {path}: unknown layer type \"{typeName}\" (known: {string.Join(", ", KnownTypeNames())})");

        var arguments = new LayerArguments(json, typeName, path, sourceName, budget);
        Module module;
        try
        {
            module = build(arguments);
        }
        catch (ArgumentException exception)
        {
            // The layer's constructor validated the value (e.g. a negative size) and its first line quotes it;
            // ArgumentOutOfRangeException appends the value again on a second line, which a one-line error drops.
            throw arguments.Error(exception.Message.Split('\n')[0].TrimEnd(), exception);
        }

        arguments.EnsureAllRead();
        return module;
    }

    /// <summary>
    /// Registers every layer of this library that implements <see cref="ISerializableLayer{TSelf}"/>, so a new
    /// layer is one file: the reflection runs once, on the first save or load.
    /// </summary>
    private static void RegisterBuiltInLayers()
    {
        var register = typeof(ModuleSerializer).GetMethod(nameof(Register), genericParameterCount: 1, Type.EmptyTypes)!;
        foreach (var type in typeof(ModuleSerializer).Assembly.GetTypes())
        {
            bool describesItself = type.GetInterfaces().Any(contract =>
                contract.IsGenericType && contract.GetGenericTypeDefinition() == typeof(ISerializableLayer<>) && contract.GenericTypeArguments[0] == type);
            if (describesItself && !type.IsAbstract) register.MakeGenericMethod(type).Invoke(null, null);
        }
    }

    private static IEnumerable<string> KnownTypeNames()
    {
        lock (Gate) return Builders.Keys.Order(StringComparer.Ordinal).ToArray();
    }
}
