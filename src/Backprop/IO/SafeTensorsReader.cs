namespace Backprop.IO;

/// <summary>
/// Reads safetensors files strictly, treating every file as possibly hostile.
/// </summary>
/// <remarks>
/// <para>The layout (https://github.com/huggingface/safetensors): an 8-byte little-endian unsigned
/// header length N; N bytes of UTF-8 JSON, an object that maps each tensor name to
/// <c>{"dtype": "F32", "shape": [2, 3], "data_offsets": [begin, end]}</c> plus an optional
/// <c>"__metadata__"</c> object of strings; then the data section, where each tensor's bytes lie
/// at <c>[begin, end)</c> counted from the end of the header.</para>
/// <para>A file is accepted only when: N is at most 100,000,000 (the reference implementation's
/// cap) and at most the bytes after the prefix; the header starts with <c>'{'</c>, is valid UTF-8
/// and valid JSON with no key twice at any level; every tensor has a supported dtype, a shape of
/// integers 0 to 2^63-1 and two offsets with begin ≤ end; end − begin equals product(shape) ×
/// dtype size, without overflow; and the tensors, sorted by offset, cover the data section exactly,
/// with no hole, no overlap and nothing after the last one. Fields of a tensor other than these
/// three are ignored, as the reference reader does.</para>
/// <para>Any violation is a <see cref="ModelFormatException"/> with a one-line message; no size
/// read from the file is used to allocate or index before it has been checked against the real
/// length of the file.</para>
/// <code>
/// SafeTensorsFile file = SafeTensorsReader.Read("model.safetensors");
/// foreach (SafeTensorsEntry entry in file.Entries) Console.WriteLine(entry);   // 0.weight F32 [2, 3]
/// </code>
/// </remarks>
public static class SafeTensorsReader
{
    /// <summary>Reads the safetensors file at <paramref name="path"/>.</summary>
    /// <param name="path">The file; its path is the source name in error messages.</param>
    /// <exception cref="ModelFormatException">The file breaks a rule of the format.</exception>
    /// <exception cref="IOException">The file cannot be opened or read.</exception>
    public static SafeTensorsFile Read(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 16, FileOptions.SequentialScan);
        return Read(stream, path);
    }

    /// <summary>
    /// Reads a safetensors file from <paramref name="stream"/>, starting at its current position.
    /// A seekable stream is read tensor by tensor, so files larger than 2 GB load as long as each
    /// tensor fits in an array; any other stream is first copied into memory.
    /// </summary>
    /// <param name="stream">The file's bytes.</param>
    /// <param name="sourceName">The name error messages give the data, such as its path.</param>
    /// <exception cref="ModelFormatException">The data breaks a rule of the format.</exception>
    /// <exception cref="IOException">The stream fails.</exception>
    public static SafeTensorsFile Read(Stream stream, string sourceName)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(sourceName);
        if (!stream.CanSeek)
        {
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            return Read(copy.GetBuffer().AsSpan(0, (int)copy.Length), sourceName);
        }

        long fileLength = stream.Length - stream.Position;
        Span<byte> prefix = stackalloc byte[SafeTensorsFormat.LengthPrefixSize];
        if (fileLength >= prefix.Length)
        {
            ReadExactly(stream, prefix, sourceName, "the header length");
        }

        long headerLength = SafeTensorsHeader.ReadLength(prefix, fileLength, sourceName);
        var json = new byte[headerLength];
        ReadExactly(stream, json, sourceName, "the header");
        SafeTensorsHeader header = SafeTensorsHeader.Parse(json, fileLength - SafeTensorsFormat.LengthPrefixSize - headerLength, sourceName);

        // The header proved the tensors tile the data section, so reading them in offset order consumes it front to back.
        var data = new byte[header.Tensors.Count][];
        foreach (int index in header.DataOrder)
        {
            SafeTensorsHeaderTensor tensor = header.Tensors[index];
            data[index] = new byte[tensor.ByteLength];
            ReadExactly(stream, data[index], sourceName, $"tensor {SafeTensorsFormat.Quote(tensor.Name)}");
        }

        return CreateFile(header, data);
    }

    /// <summary>Reads a safetensors file held in memory; the tensors' bytes are copied out of <paramref name="bytes"/>.</summary>
    /// <param name="bytes">The whole file.</param>
    /// <param name="sourceName">The name error messages give the data, such as its path.</param>
    /// <exception cref="ModelFormatException">The data breaks a rule of the format.</exception>
    public static SafeTensorsFile Read(ReadOnlySpan<byte> bytes, string sourceName)
    {
        ArgumentNullException.ThrowIfNull(sourceName);
        long headerLength = SafeTensorsHeader.ReadLength(bytes, bytes.Length, sourceName);
        int dataStart = SafeTensorsFormat.LengthPrefixSize + (int)headerLength;
        ReadOnlySpan<byte> json = bytes[SafeTensorsFormat.LengthPrefixSize..dataStart];
        ReadOnlySpan<byte> dataSection = bytes[dataStart..];
        SafeTensorsHeader header = SafeTensorsHeader.Parse(json, dataSection.Length, sourceName);

        var data = new byte[header.Tensors.Count][];
        for (int index = 0; index < data.Length; index++)
        {
            SafeTensorsHeaderTensor tensor = header.Tensors[index];
            data[index] = dataSection[(int)tensor.Begin..(int)tensor.End].ToArray();
        }

        return CreateFile(header, data);
    }

    private static SafeTensorsFile CreateFile(SafeTensorsHeader header, byte[][] data)
    {
        var entries = new SafeTensorsEntry[header.Tensors.Count];
        for (int index = 0; index < entries.Length; index++)
        {
            SafeTensorsHeaderTensor tensor = header.Tensors[index];
            entries[index] = new SafeTensorsEntry(tensor.Name, tensor.DType, tensor.Shape, data[index]);
        }

        return new SafeTensorsFile(Array.AsReadOnly(entries), header.Metadata);
    }

    private static void ReadExactly(Stream stream, Span<byte> buffer, string sourceName, string what)
    {
        try
        {
            stream.ReadExactly(buffer);
        }
        catch (EndOfStreamException exception)
        {
            throw new ModelFormatException(sourceName, $"file ended while reading {what} ({buffer.Length} bytes); it is shorter than its length said when opened", exception);
        }
    }
}
