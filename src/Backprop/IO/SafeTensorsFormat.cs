namespace Backprop.IO;

/// <summary>The constants of the safetensors layout and the spelling of values in messages, shared by reader, writer and entries.</summary>
internal static class SafeTensorsFormat
{
    /// <summary>Bytes of the little-endian unsigned header length that opens a file.</summary>
    public const int LengthPrefixSize = 8;

    /// <summary>The reference implementation refuses larger headers; so do we, and the writer never produces one.</summary>
    public const long MaxHeaderLength = 100_000_000;

    /// <summary>Writers pad the header with spaces so that the data section starts on an 8-byte boundary.</summary>
    public const int HeaderAlignment = 8;

    /// <summary>The header key reserved for the string-to-string metadata object.</summary>
    public const string MetadataKey = "__metadata__";

    /// <summary>A name in a message is cut here, because a hostile header can hold a name of 100 MB.</summary>
    private const int MaxQuotedLength = 120;

    private const int MaxListedValues = 16;

    /// <summary>
    /// Multiplies out the shape and the element size, or reports overflow. Any zero dimension makes
    /// the tensor empty however large the others are, so zeros are checked before multiplying.
    /// </summary>
    public static bool TryGetByteLength(ReadOnlySpan<long> shape, int elementSize, out long elementCount, out long byteLength)
    {
        elementCount = shape.Contains(0) ? 0 : 1;
        byteLength = 0;
        if (elementCount == 0)
        {
            return true;
        }

        foreach (long dimension in shape)
        {
            if (elementCount > long.MaxValue / dimension)
            {
                return false;
            }

            elementCount *= dimension;
        }

        if (elementCount > long.MaxValue / elementSize)
        {
            return false;
        }

        byteLength = elementCount * elementSize;
        return true;
    }

    /// <summary>Spells a shape or offsets as the header does, e.g. <c>[2, 3]</c>; a hostile list of millions is cut after 16 values.</summary>
    public static string FormatShape(ReadOnlySpan<long> values) =>
        values.Length <= MaxListedValues
            ? $"[{string.Join(", ", values.ToArray())}]"
            : $"[{string.Join(", ", values[..MaxListedValues].ToArray())}, ... ({values.Length} values)]";

    /// <summary>Quotes a name for a message, shortened when it is too long to read.</summary>
    public static string Quote(string name) =>
        name.Length <= MaxQuotedLength ? $"'{name}'" : $"'{name[..MaxQuotedLength]}...' ({name.Length} characters)";
}
