using System.Diagnostics.CodeAnalysis;

namespace Backprop.IO;

/// <summary>
/// The content of a safetensors file, as <see cref="SafeTensorsReader"/> found it valid: the
/// tensors in the order of the header and the string-to-string <c>"__metadata__"</c> object.
/// </summary>
/// <remarks>
/// Tensor names are unique (the reader rejects duplicate keys), so an entry can be looked up by name.
/// <code>
/// SafeTensorsFile file = SafeTensorsReader.Read("model.safetensors");
/// float[] weight = file["0.weight"].ToFloatArray();
/// string? format = file.Metadata.GetValueOrDefault("format");
/// </code>
/// </remarks>
public sealed class SafeTensorsFile
{
    private readonly Dictionary<string, SafeTensorsEntry> byName;

    internal SafeTensorsFile(IReadOnlyList<SafeTensorsEntry> entries, IReadOnlyDictionary<string, string> metadata)
    {
        Entries = entries;
        Metadata = metadata;
        byName = entries.ToDictionary(entry => entry.Name, StringComparer.Ordinal);
    }

    /// <summary>The tensors in the order their keys appear in the header.</summary>
    public IReadOnlyList<SafeTensorsEntry> Entries { get; }

    /// <summary>The <c>"__metadata__"</c> object; empty when the file has none.</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>The tensor named <paramref name="name"/>.</summary>
    /// <exception cref="KeyNotFoundException">No tensor has that name; the message lists how many there are.</exception>
    public SafeTensorsEntry this[string name] =>
        byName.TryGetValue(name, out SafeTensorsEntry? entry)
            ? entry
            : throw new KeyNotFoundException($"No tensor is named {SafeTensorsFormat.Quote(name)}; the file has {Entries.Count} tensors.");

    /// <summary>Looks up the tensor named <paramref name="name"/>.</summary>
    /// <returns><see langword="true"/> when the file has a tensor of that name.</returns>
    public bool TryGetEntry(string name, [MaybeNullWhen(false)] out SafeTensorsEntry entry) =>
        byName.TryGetValue(name, out entry);
}
