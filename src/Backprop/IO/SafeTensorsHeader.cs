using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;

namespace Backprop.IO;

/// <summary>A tensor as the header declares it: where its bytes lie in the data section, not yet the bytes.</summary>
internal sealed record SafeTensorsHeaderTensor(string Name, SafeTensorsDType DType, long[] Shape, long Begin, long End)
{
    public long ByteLength => End - Begin;
}

/// <summary>
/// The length prefix and JSON header of a safetensors file, checked against every rule of the format
/// before a single tensor byte is touched. Each check compares numbers from the file with sizes
/// already known to be real (the file length, the data section), so hostile numbers never size an
/// allocation or an index.
/// </summary>
internal sealed class SafeTensorsHeader
{
    private SafeTensorsHeader(List<SafeTensorsHeaderTensor> tensors, Dictionary<string, string> metadata, int[] dataOrder)
    {
        Tensors = tensors;
        Metadata = metadata;
        DataOrder = dataOrder;
    }

    /// <summary>The tensors in header order.</summary>
    public IReadOnlyList<SafeTensorsHeaderTensor> Tensors { get; }

    /// <summary>The <c>"__metadata__"</c> object, empty when absent.</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>Indices into <see cref="Tensors"/> by ascending offset: the order the bytes follow each other in the file.</summary>
    public IReadOnlyList<int> DataOrder { get; }

    /// <summary>Reads the header length from the first 8 bytes and checks it against the cap and the bytes that follow.</summary>
    /// <param name="start">The first bytes of the file; only looked at when <paramref name="fileLength"/> is at least 8.</param>
    /// <param name="fileLength">The total length of the file.</param>
    /// <param name="source">The name of the file, for messages.</param>
    public static long ReadLength(ReadOnlySpan<byte> start, long fileLength, string source)
    {
        if (fileLength < SafeTensorsFormat.LengthPrefixSize)
        {
            throw new ModelFormatException(source, $"file is {fileLength} bytes, shorter than the 8-byte header length that starts a safetensors file");
        }

        ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(start);
        if (headerLength > SafeTensorsFormat.MaxHeaderLength)
        {
            throw new ModelFormatException(source, $"header length at offset 0 is {headerLength} bytes, more than the limit of {SafeTensorsFormat.MaxHeaderLength} bytes");
        }

        long available = fileLength - SafeTensorsFormat.LengthPrefixSize;
        if ((long)headerLength > available)
        {
            throw new ModelFormatException(source, $"header length at offset 0 is {headerLength} bytes but only {available} bytes follow it (file cut short?)");
        }

        return (long)headerLength;
    }

    /// <summary>Parses and checks the JSON header.</summary>
    /// <param name="json">The header bytes, after the length prefix.</param>
    /// <param name="dataLength">The bytes in the data section that follows the header.</param>
    /// <param name="source">The name of the file, for messages.</param>
    public static SafeTensorsHeader Parse(ReadOnlySpan<byte> json, long dataLength, string source)
    {
        if (json.IsEmpty || json[0] != (byte)'{')
        {
            string found = json.IsEmpty ? "is empty" : $"starts with byte 0x{json[0]:X2}";
            throw new ModelFormatException(source, $"header at offset {SafeTensorsFormat.LengthPrefixSize} {found}; it must be a JSON object starting with '{{'");
        }

        int invalidAt = FirstInvalidUtf8(json);
        if (invalidAt >= 0)
        {
            throw new ModelFormatException(source, $"header is not valid UTF-8 at offset {SafeTensorsFormat.LengthPrefixSize + invalidAt}");
        }

        var tensors = new List<SafeTensorsHeaderTensor>();
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        var reader = new Utf8JsonReader(json);
        try
        {
            reader.Read();
            var keys = new HashSet<string>(StringComparer.Ordinal);
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                string key = ReadString(ref reader, "a key of the header", source);
                if (!keys.Add(key))
                {
                    throw new ModelFormatException(source, $"header has the key {SafeTensorsFormat.Quote(key)} twice");
                }

                reader.Read();
                if (key == SafeTensorsFormat.MetadataKey)
                {
                    ReadMetadata(ref reader, metadata, source);
                }
                else
                {
                    tensors.Add(ReadTensor(ref reader, key, dataLength, source));
                }
            }

            // Past the closing brace only whitespace (the writer's padding) may follow; Read throws otherwise.
            reader.Read();
        }
        catch (JsonException exception)
        {
            throw new ModelFormatException(source, $"header is not valid JSON: {exception.Message}", exception);
        }

        return new SafeTensorsHeader(tensors, metadata, CheckCoverage(tensors, dataLength, source));
    }

    private static void ReadMetadata(ref Utf8JsonReader reader, Dictionary<string, string> metadata, string source)
    {
        // Python's safetensors writes no metadata as an absent key, but the reference reader also accepts null.
        if (reader.TokenType == JsonTokenType.Null)
        {
            return;
        }

        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new ModelFormatException(source, $"'{SafeTensorsFormat.MetadataKey}' is {Describe(reader.TokenType)}; it must be an object of strings");
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            string key = ReadString(ref reader, $"a key of '{SafeTensorsFormat.MetadataKey}'", source);
            reader.Read();
            if (reader.TokenType != JsonTokenType.String)
            {
                throw new ModelFormatException(source, $"'{SafeTensorsFormat.MetadataKey}' key {SafeTensorsFormat.Quote(key)} is {Describe(reader.TokenType)}; metadata values must be strings");
            }

            if (!metadata.TryAdd(key, ReadString(ref reader, $"'{SafeTensorsFormat.MetadataKey}' key {SafeTensorsFormat.Quote(key)}", source)))
            {
                throw new ModelFormatException(source, $"'{SafeTensorsFormat.MetadataKey}' has the key {SafeTensorsFormat.Quote(key)} twice");
            }
        }
    }

    private static SafeTensorsHeaderTensor ReadTensor(ref Utf8JsonReader reader, string name, long dataLength, string source)
    {
        string tensor = $"tensor {SafeTensorsFormat.Quote(name)}";
        if (name.Length == 0)
        {
            throw new ModelFormatException(source, "a tensor has an empty name");
        }

        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new ModelFormatException(source, $"{tensor} is {Describe(reader.TokenType)}; it must be an object with dtype, shape and data_offsets");
        }

        SafeTensorsDType? dtype = null;
        long[]? shape = null;
        long[]? offsets = null;
        var fields = new HashSet<string>(StringComparer.Ordinal);
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            string field = ReadString(ref reader, $"a field of {tensor}", source);
            if (!fields.Add(field))
            {
                throw new ModelFormatException(source, $"{tensor} has the field {SafeTensorsFormat.Quote(field)} twice");
            }

            reader.Read();
            switch (field)
            {
                case "dtype":
                    dtype = ReadDType(ref reader, tensor, source);
                    break;
                case "shape":
                    shape = ReadIntegers(ref reader, tensor, field, source);
                    break;
                case "data_offsets":
                    offsets = ReadIntegers(ref reader, tensor, field, source);
                    break;
                default:
                    // The reference reader ignores fields it does not know; so do we, to read what it reads.
                    reader.Skip();
                    break;
            }
        }

        if (dtype is null || shape is null || offsets is null)
        {
            string missing = dtype is null ? "dtype" : shape is null ? "shape" : "data_offsets";
            throw new ModelFormatException(source, $"{tensor} has no '{missing}' field");
        }

        return Check(name, dtype.Value, shape, offsets, dataLength, source);
    }

    private static SafeTensorsDType ReadDType(ref Utf8JsonReader reader, string tensor, string source)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            throw new ModelFormatException(source, $"{tensor} field 'dtype' is {Describe(reader.TokenType)}; it must be a string such as \"F32\"");
        }

        string name = ReadString(ref reader, $"{tensor} field 'dtype'", source);
        return SafeTensorsDTypeInfo.TryParse(name, out SafeTensorsDType dtype)
            ? dtype
            : throw new ModelFormatException(source, $"{tensor} has dtype {SafeTensorsFormat.Quote(name)}, which is not supported (supported: {SafeTensorsDTypeInfo.SupportedNames})");
    }

    private static long[] ReadIntegers(ref Utf8JsonReader reader, string tensor, string field, string source)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw new ModelFormatException(source, $"{tensor} field '{field}' is {Describe(reader.TokenType)}; it must be an array of integers");
        }

        var values = new List<long>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.Number || !reader.TryGetUInt64(out ulong value) || value > long.MaxValue)
            {
                string found = reader.TokenType == JsonTokenType.Number ? NumberText(reader.ValueSpan) : Describe(reader.TokenType);
                throw new ModelFormatException(source, $"{tensor} field '{field}' entry {values.Count} is {found}; it must be an integer from 0 to {long.MaxValue}");
            }

            values.Add((long)value);
        }

        return [.. values];
    }

    private static SafeTensorsHeaderTensor Check(string name, SafeTensorsDType dtype, long[] shape, long[] offsets, long dataLength, string source)
    {
        string tensor = $"tensor {SafeTensorsFormat.Quote(name)}";
        string offsetsText = SafeTensorsFormat.FormatShape(offsets);
        if (offsets.Length != 2)
        {
            throw new ModelFormatException(source, $"{tensor} has data_offsets {offsetsText}; it must be two numbers [begin, end]");
        }

        (long begin, long end) = (offsets[0], offsets[1]);
        if (begin > end)
        {
            throw new ModelFormatException(source, $"{tensor} has data_offsets {offsetsText} whose begin is after its end");
        }

        if (end > dataLength)
        {
            throw new ModelFormatException(source, $"{tensor} has data_offsets {offsetsText} reaching past the data section of {dataLength} bytes (file cut short?)");
        }

        string shapeText = SafeTensorsFormat.FormatShape(shape);
        string dtypeName = dtype.Name();
        if (!SafeTensorsFormat.TryGetByteLength(shape, dtype.Size(), out _, out long byteLength))
        {
            throw new ModelFormatException(source, $"{tensor} has shape {shapeText} and dtype {dtypeName}, whose byte count overflows a 64-bit integer");
        }

        if (byteLength != end - begin)
        {
            throw new ModelFormatException(source, $"{tensor} has shape {shapeText} and dtype {dtypeName} ({byteLength} bytes) but data_offsets {offsetsText} span {end - begin} bytes");
        }

        // Entries hold their bytes in one array; a tensor the runtime cannot allocate is refused here, not by an OutOfMemoryException.
        if (byteLength > Array.MaxLength)
        {
            throw new ModelFormatException(source, $"{tensor} has {byteLength} bytes, more than the {Array.MaxLength} bytes one tensor can hold in memory");
        }

        return new SafeTensorsHeaderTensor(name, dtype, shape, begin, end);
    }

    /// <summary>Checks that the tensors tile the data section: sorted by offset, each begins where the previous ends and the last ends at its end.</summary>
    private static int[] CheckCoverage(List<SafeTensorsHeaderTensor> tensors, long dataLength, string source)
    {
        int[] order = [.. Enumerable.Range(0, tensors.Count).OrderBy(i => tensors[i].Begin).ThenBy(i => tensors[i].End)];
        SafeTensorsHeaderTensor? previous = null;
        foreach (int index in order)
        {
            SafeTensorsHeaderTensor current = tensors[index];
            long expected = previous?.End ?? 0;
            if (current.Begin < expected)
            {
                throw new ModelFormatException(source, $"{Describe(current)} overlaps {Describe(previous!)}");
            }

            if (current.Begin > expected)
            {
                string after = previous is null ? "at the start of the data section" : $"after {Describe(previous)}";
                throw new ModelFormatException(source, $"bytes [{expected}, {current.Begin}) of the data section belong to no tensor ({after}, before {Describe(current)})");
            }

            previous = current;
        }

        long covered = previous?.End ?? 0;
        if (covered != dataLength)
        {
            string last = previous is null ? "the header declares no tensors" : $"the last tensor, {Describe(previous)}, ends at {covered}";
            throw new ModelFormatException(source, $"data section has {dataLength} bytes but {last}; bytes [{covered}, {dataLength}) belong to no tensor");
        }

        return order;
    }

    /// <summary>
    /// Decodes a string token. Valid UTF-8 can still hold an escape such as <c>\uD800</c> that
    /// decodes to half a surrogate pair; the reference reader refuses it, and so do we.
    /// </summary>
    private static string ReadString(ref Utf8JsonReader reader, string where, string source)
    {
        try
        {
            return reader.GetString()!;
        }
        catch (InvalidOperationException exception)
        {
            throw new ModelFormatException(source, $"{where} has an escape that is not valid UTF-16: {exception.Message}", exception);
        }
    }

    private static int FirstInvalidUtf8(ReadOnlySpan<byte> bytes)
    {
        // The vectorised check keeps valid 100 MB headers fast; the rune walk runs only to locate an error.
        if (Utf8.IsValid(bytes))
        {
            return -1;
        }

        int offset = 0;
        while (offset < bytes.Length)
        {
            if (Rune.DecodeFromUtf8(bytes[offset..], out _, out int consumed) != System.Buffers.OperationStatus.Done)
            {
                return offset;
            }

            offset += consumed;
        }

        return -1;
    }

    private static string Describe(SafeTensorsHeaderTensor tensor) =>
        $"tensor {SafeTensorsFormat.Quote(tensor.Name)} data_offsets [{tensor.Begin}, {tensor.End}]";

    private static string Describe(JsonTokenType token) => token switch
    {
        JsonTokenType.StartObject => "an object",
        JsonTokenType.StartArray => "an array",
        JsonTokenType.String => "a string",
        JsonTokenType.Number => "a number",
        JsonTokenType.True or JsonTokenType.False => "a boolean",
        JsonTokenType.Null => "null",
        _ => token.ToString(),
    };

    /// <summary>The text of a number token, cut short because a hostile header can hold a number of a million digits.</summary>
    private static string NumberText(ReadOnlySpan<byte> utf8) =>
        utf8.Length <= 40 ? Encoding.UTF8.GetString(utf8) : $"{Encoding.UTF8.GetString(utf8[..40])}... ({utf8.Length} characters)";
}
