using System.Buffers;
using System.Buffers.Binary;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Backprop.IO;

/// <summary>
/// Writes safetensors files that Python's <c>safetensors</c> and <see cref="SafeTensorsReader"/> read.
/// </summary>
/// <remarks>
/// <para>The file is an 8-byte little-endian header length N, then N bytes of compact UTF-8 JSON
/// padded with spaces so that N is a multiple of 8 (the data section then starts 8-byte aligned),
/// then the tensors' bytes back to back in the order given, each at
/// <c>"data_offsets": [begin, end]</c> counted from the end of the header. Metadata, when present,
/// is the header's first key, <c>"__metadata__"</c>.</para>
/// <code>
/// SafeTensorsWriter.Write("model.safetensors",
///     [SafeTensorsEntry.FromFloats("0.weight", [0.15f, 0.20f, 0.25f, 0.30f], 2, 2),
///      SafeTensorsEntry.FromFloats("0.bias", [0.35f, 0.35f], 2)],
///     new Dictionary&lt;string, string&gt; { ["format"] = "pt" });
/// </code>
/// </remarks>
public static class SafeTensorsWriter
{
    private static readonly JsonWriterOptions JsonOptions = new()
    {
        // The header is never embedded in HTML, so names like "a+b" or "poids_é" stay as they are instead of \u escapes.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>
    /// Writes the file at <paramref name="path"/> atomically: the bytes go to a temporary file in
    /// the same folder, are flushed to the disk, and the temporary file is then renamed over
    /// <paramref name="path"/>. On any failure the temporary file is deleted and a file already at
    /// <paramref name="path"/> is left as it was.
    /// </summary>
    /// <param name="path">The file to create or replace.</param>
    /// <param name="entries">The tensors, written in this order.</param>
    /// <param name="metadata">Free-form strings for the <c>"__metadata__"</c> object, or <see langword="null"/> for none.</param>
    /// <exception cref="ArgumentException">Two tensors share a name, a metadata value is null, a name or metadata string is not valid UTF-16, or the header would pass the 100,000,000-byte limit of readers.</exception>
    /// <exception cref="IOException">The file cannot be written or renamed into place.</exception>
    public static void Write(string path, IEnumerable<SafeTensorsEntry> entries, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        SafeTensorsEntry[] tensors = Validate(entries, metadata);
        byte[] header = BuildHeader(tensors, metadata);

        AtomicFile.Write(path, stream => WriteContent(stream, header, tensors));
    }

    /// <summary>Writes the file to <paramref name="destination"/> at its current position, in the layout described on <see cref="SafeTensorsWriter"/>.</summary>
    /// <param name="destination">Where the bytes go.</param>
    /// <param name="entries">The tensors, written in this order.</param>
    /// <param name="metadata">Free-form strings for the <c>"__metadata__"</c> object, or <see langword="null"/> for none.</param>
    /// <exception cref="ArgumentException">As <see cref="Write(string, IEnumerable{SafeTensorsEntry}, IReadOnlyDictionary{string, string}?)"/>; nothing is written then.</exception>
    public static void Write(Stream destination, IEnumerable<SafeTensorsEntry> entries, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(destination);
        SafeTensorsEntry[] tensors = Validate(entries, metadata);
        WriteContent(destination, BuildHeader(tensors, metadata), tensors);
    }

    /// <summary>
    /// Checks what the entries cannot check one by one. Each entry already guarantees a usable
    /// name and data whose length matches its shape and dtype (its constructor refuses anything else).
    /// </summary>
    private static SafeTensorsEntry[] Validate(IEnumerable<SafeTensorsEntry> entries, IReadOnlyDictionary<string, string>? metadata)
    {
        ArgumentNullException.ThrowIfNull(entries);
        SafeTensorsEntry[] tensors = [.. entries];
        var positions = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int position = 0; position < tensors.Length; position++)
        {
            SafeTensorsEntry entry = tensors[position]
                ?? throw new ArgumentException($"Entry {position} is null.", nameof(entries));
            if (!positions.TryAdd(entry.Name, position))
            {
                throw new ArgumentException(
                    $"Tensor {SafeTensorsFormat.Quote(entry.Name)} appears twice, as entries {positions[entry.Name]} and {position}; names must be unique.",
                    nameof(entries));
            }
        }

        foreach ((string key, string? value) in metadata ?? new Dictionary<string, string>())
        {
            if (value is null)
            {
                throw new ArgumentException($"Metadata key {SafeTensorsFormat.Quote(key)} has a null value; metadata values must be strings.", nameof(metadata));
            }
        }

        return tensors;
    }

    private static byte[] BuildHeader(SafeTensorsEntry[] tensors, IReadOnlyDictionary<string, string>? metadata)
    {
        var json = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(json, JsonOptions))
        {
            writer.WriteStartObject();
            if (metadata is { Count: > 0 })
            {
                writer.WriteStartObject(SafeTensorsFormat.MetadataKey);
                foreach ((string key, string value) in metadata)
                {
                    writer.WriteString(key, value);
                }

                writer.WriteEndObject();
            }

            long offset = 0;
            foreach (SafeTensorsEntry entry in tensors)
            {
                writer.WriteStartObject(entry.Name);
                writer.WriteString("dtype", entry.DType.Name());
                writer.WriteStartArray("shape");
                foreach (long dimension in entry.Shape)
                {
                    writer.WriteNumberValue(dimension);
                }

                writer.WriteEndArray();
                writer.WriteStartArray("data_offsets");
                writer.WriteNumberValue(offset);
                offset += entry.Data.Length;
                writer.WriteNumberValue(offset);
                writer.WriteEndArray();
                writer.WriteEndObject();
            }

            writer.WriteEndObject();
        }

        int paddedLength = (json.WrittenCount + SafeTensorsFormat.HeaderAlignment - 1) / SafeTensorsFormat.HeaderAlignment * SafeTensorsFormat.HeaderAlignment;
        if (paddedLength > SafeTensorsFormat.MaxHeaderLength)
        {
            throw new ArgumentException(
                $"The header for {tensors.Length} tensors takes {paddedLength} bytes, more than the {SafeTensorsFormat.MaxHeaderLength} bytes readers accept.",
                "entries");
        }

        var header = new byte[paddedLength];
        json.WrittenSpan.CopyTo(header);
        header.AsSpan(json.WrittenCount).Fill((byte)' ');
        return header;
    }

    private static void WriteContent(Stream stream, byte[] header, SafeTensorsEntry[] tensors)
    {
        Span<byte> prefix = stackalloc byte[SafeTensorsFormat.LengthPrefixSize];
        BinaryPrimitives.WriteUInt64LittleEndian(prefix, (ulong)header.Length);
        stream.Write(prefix);
        stream.Write(header);
        foreach (SafeTensorsEntry entry in tensors)
        {
            stream.Write(entry.Data.Span);
        }
    }
}
