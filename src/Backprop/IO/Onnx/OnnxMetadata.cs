using System.Reflection;
using System.Text.Json.Nodes;
using Backprop.IO.Onnx.Proto;

namespace Backprop.IO;

/// <summary>
/// What an exported ONNX file says about itself in <c>metadata_props</c> (ONNX Runtime's
/// <c>ModelMetadata.CustomMetadataMap</c>), so a deployment reads the class names and the preprocessing from the file
/// it runs rather than from a second file that can drift: <see cref="VersionKey"/> always, and with a
/// <see cref="ModelDescription"/> also <see cref="ClassNamesKey"/>, <see cref="PreprocessingKey"/> and the whole
/// description under <see cref="ModelDescription.MetadataKey"/>.
/// </summary>
public static class OnnxMetadata
{
    /// <summary>The Backprop version that wrote the file, e.g. <c>1.0.0+…commit</c>.</summary>
    public const string VersionKey = "backprop.version";

    /// <summary>The class of each output, as a JSON array of strings.</summary>
    public const string ClassNamesKey = "class_names";

    /// <summary>How raw data becomes the input (<see cref="ModelDescription.Preprocessing"/>), as a JSON object with a <c>"kind"</c>.</summary>
    public const string PreprocessingKey = "preprocessing";

    /// <summary>The version of this library, as its assembly records it.</summary>
    public static string LibraryVersion { get; } =
        typeof(OnnxMetadata).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "";

    internal static void Write(ModelProto model, ModelDescription? description)
    {
        Add(model, VersionKey, LibraryVersion);
        if (description is null) return;
        Add(model, ModelDescription.MetadataKey, description.ToJson());
        if (description.ClassNames is { } classes) Add(model, ClassNamesKey, new JsonArray([.. classes.Select(name => (JsonNode)name)]).ToJsonString());
        if (description.Preprocessing is { } preprocessing) Add(model, PreprocessingKey, preprocessing.ToJsonString());
    }

    private static void Add(ModelProto model, string key, string value) => model.MetadataProps.Add(new StringStringEntryProto { Key = key, Value = value });
}
