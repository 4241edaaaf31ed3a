using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using Backprop.IO;

namespace Backprop.Tests.IO;

public class SafeTensorsReaderTests
{
    private const string Source = "hostile.safetensors";

    [Fact]
    public void Read_OfAFileBuiltByteByByteFromTheSpecification_GivesItsTensorsAndMetadata()
    {
        // Header of 142 bytes of JSON + 2 spaces of padding = 144 = 0x90, as the layout in the safetensors README prescribes.
        const string json = """{"__metadata__":{"format":"pt"},"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"BF16","shape":[1,2],"data_offsets":[8,12]}}""";
        byte[] file =
        [
            0x90, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
            .. Encoding.UTF8.GetBytes(json), 0x20, 0x20,
            // a: 1.5f = 0x3FC00000, -2f = 0xC0000000 (IEEE 754), little-endian.
            0x00, 0x00, 0xC0, 0x3F, 0x00, 0x00, 0x00, 0xC0,
            // b: bfloat16 1.0 = 0x3F80 (upper half of 0x3F800000), -0.5 = 0xBF00 (of 0xBF000000), little-endian.
            0x80, 0x3F, 0x00, 0xBF,
        ];
        Assert.Equal(8 + 0x90 + 12, file.Length);

        SafeTensorsFile read = SafeTensorsReader.Read(file, "spec.safetensors");

        Assert.Equal(["a", "b"], read.Entries.Select(entry => entry.Name));
        Assert.Equal(SafeTensorsDType.F32, read["a"].DType);
        Assert.Equal(new long[] { 2 }, read["a"].Shape);
        Assert.Equal(new[] { 1.5f, -2f }, read["a"].ToFloatArray());
        Assert.Equal(SafeTensorsDType.BF16, read["b"].DType);
        Assert.Equal(new long[] { 1, 2 }, read["b"].Shape);
        Assert.Equal(new[] { 1f, -0.5f }, read["b"].ToFloatArray());
        Assert.Equal("pt", Assert.Single(read.Metadata).Value);
    }

    [Fact]
    public void Read_OfTheSmallestFile_GivesNoTensors()
    {
        // "{}" is the header of a file with no tensors: 2 bytes of JSON padded to 8.
        SafeTensorsFile read = SafeTensorsReader.Read(Build("{}      "), Source);

        Assert.Empty(read.Entries);
        Assert.Empty(read.Metadata);
    }

    [Fact]
    public void Read_OfTensorsListedOutOfOffsetOrder_KeepsHeaderOrder()
    {
        // Python's safetensors lists tensors in its own order, not by offset; the data is still contiguous.
        byte[] file = Build(
            """{"second":{"dtype":"U8","shape":[1],"data_offsets":[2,3]},"first":{"dtype":"U8","shape":[2],"data_offsets":[0,2]}}""",
            [10, 11, 20]);

        SafeTensorsFile read = SafeTensorsReader.Read(new MemoryStream(file), Source);

        Assert.Equal(["second", "first"], read.Entries.Select(entry => entry.Name));
        Assert.Equal(new byte[] { 20 }, read["second"].Data.ToArray());
        Assert.Equal(new byte[] { 10, 11 }, read["first"].Data.ToArray());
    }

    [Fact]
    public void Read_IgnoresUnknownTensorFieldsAndNullMetadata_AsTheReferenceReaderDoes()
    {
        byte[] file = Build("""{"__metadata__":null,"a":{"dtype":"U8","shape":[1],"data_offsets":[0,1],"note":{"x":[1]}}}""", [7]);

        SafeTensorsFile read = SafeTensorsReader.Read(file, Source);

        Assert.Equal(new byte[] { 7 }, read["a"].Data.ToArray());
        Assert.Empty(read.Metadata);
    }

    [Fact]
    public void Read_FromANonSeekableStream_CopiesItFirst()
    {
        byte[] file = Build("""{"a":{"dtype":"I8","shape":[2],"data_offsets":[0,2]}}""", [1, 0xFF]);
        var compressed = new MemoryStream();
        using (var gzip = new GZipStream(compressed, CompressionMode.Compress, leaveOpen: true))
        {
            gzip.Write(file);
        }

        compressed.Position = 0;
        using var decompressing = new GZipStream(compressed, CompressionMode.Decompress);
        Assert.False(decompressing.CanSeek);

        SafeTensorsFile read = SafeTensorsReader.Read(decompressing, Source);

        Assert.Equal(new byte[] { 1, 0xFF }, read["a"].Data.ToArray());
    }

    [Fact]
    public void Read_OfAMissingFile_ThrowsFileNotFound()
    {
        Assert.Throws<FileNotFoundException>(() => SafeTensorsReader.Read(Path.Combine(Path.GetTempPath(), $"missing-{Guid.NewGuid():N}.safetensors")));
    }

    [Fact]
    public void Read_OfAFileWithAWrongByteCount_GivesTheOneLineMessageThatNamesEverything()
    {
        // Shape [2, 3] F32 needs 2 × 3 × 4 = 24 bytes; the offsets give 20.
        byte[] file = Build("""{"0.weight":{"dtype":"F32","shape":[2,3],"data_offsets":[0,20]}}""", new byte[20]);

        var exception = Assert.Throws<ModelFormatException>(() => SafeTensorsReader.Read(file, "model.safetensors"));

        Assert.Equal("model.safetensors: tensor '0.weight' has shape [2, 3] and dtype F32 (24 bytes) but data_offsets [0, 20] span 20 bytes", exception.Message);
        Assert.Equal("model.safetensors", exception.SourceName);
    }

    public static TheoryData<string, byte[], string> HostileFiles() => new()
    {
        { "empty file", [], "file is 0 bytes" },
        { "shorter than the length prefix", [0x10, 0x00, 0x00], "file is 3 bytes" },
        { "header cut short", [.. Prefix(100), .. "{\"a\":"u8], "header length at offset 0 is 100 bytes but only 5 bytes follow" },
        { "header length larger than the file", [.. Prefix(4096), .. "{}      "u8], "4096 bytes but only 8 bytes follow" },
        // 1 GiB = 2^30, ten times the reference implementation's 100,000,000-byte cap.
        { "claimed 1 GB header", [.. Prefix(1UL << 30), .. "{}      "u8], "header length at offset 0 is 1073741824 bytes, more than the limit of 100000000 bytes" },
        { "header length of 2^64 - 1", [.. Prefix(ulong.MaxValue), .. "{}"u8], "18446744073709551615 bytes, more than the limit" },
        { "empty header", [.. Prefix(0)], "header at offset 8 is empty" },
        { "header with a leading space", Build(" {}     "), "starts with byte 0x20" },
        { "JSON that is an array", Build("[1, 2]  "), "starts with byte 0x5B" },
        { "invalid JSON", Build("{\"a\":   "), "header is not valid JSON" },
        { "JSON followed by more JSON", Build("{} {}   "), "header is not valid JSON" },
        { "trailing comma", Build("""{"a":{"dtype":"U8","shape":[1],"data_offsets":[0,1]},}""", [1]), "header is not valid JSON" },
        { "nesting deeper than 64", Build("{\"a\":{\"x\":" + new string('[', 100) + new string(']', 100) + "}}"), "header is not valid JSON" },
        { "invalid UTF-8", Build([.. "{\"a"u8, 0xFF, .. "\":1}   "u8]), "not valid UTF-8 at offset 11" },
        { "lone surrogate escape in a name", Build("""{"\uD800":{"dtype":"U8","shape":[0],"data_offsets":[0,0]}}"""), "a key of the header has an escape that is not valid UTF-16" },
        { "lone surrogate escape in metadata", Build("""{"__metadata__":{"k":"\uDC00"}}"""), "'__metadata__' key 'k' has an escape that is not valid UTF-16" },
        { "lone surrogate escape in a dtype", Build("""{"a":{"dtype":"\uD800","shape":[0],"data_offsets":[0,0]}}"""), "tensor 'a' field 'dtype' has an escape that is not valid UTF-16" },
        { "duplicate tensor names", Build("""{"a":{"dtype":"U8","shape":[1],"data_offsets":[0,1]},"a":{"dtype":"U8","shape":[1],"data_offsets":[1,2]}}""", [1, 2]), "header has the key 'a' twice" },
        { "duplicate metadata keys", Build("""{"__metadata__":{"k":"1","k":"2"}}"""), "'__metadata__' has the key 'k' twice" },
        { "metadata twice", Build("""{"__metadata__":{},"__metadata__":{}}"""), "header has the key '__metadata__' twice" },
        { "metadata value not a string", Build("""{"__metadata__":{"epochs":10}}"""), "key 'epochs' is a number; metadata values must be strings" },
        { "metadata not an object", Build("""{"__metadata__":["pt"]}"""), "'__metadata__' is an array" },
        { "tensor not an object", Build("""{"a":[0,1]}"""), "tensor 'a' is an array" },
        { "empty tensor name", Build("""{"":{"dtype":"U8","shape":[1],"data_offsets":[0,1]}}""", [1]), "a tensor has an empty name" },
        { "duplicate field", Build("""{"a":{"dtype":"U8","dtype":"I8","shape":[1],"data_offsets":[0,1]}}""", [1]), "tensor 'a' has the field 'dtype' twice" },
        { "missing field", Build("""{"a":{"dtype":"U8","data_offsets":[0,1]}}""", [1]), "tensor 'a' has no 'shape' field" },
        { "wrong dtype size for the shape", Build("""{"a":{"dtype":"F64","shape":[2],"data_offsets":[0,8]}}""", new byte[8]), "dtype F64 (16 bytes) but data_offsets [0, 8] span 8 bytes" },
        { "unknown dtype", Build("""{"a":{"dtype":"F128","shape":[1],"data_offsets":[0,16]}}""", new byte[16]), "tensor 'a' has dtype 'F128', which is not supported" },
        { "dtype not a string", Build("""{"a":{"dtype":4,"shape":[1],"data_offsets":[0,4]}}""", new byte[4]), "field 'dtype' is a number" },
        { "overlapping offsets", Build("""{"a":{"dtype":"U8","shape":[8],"data_offsets":[0,8]},"b":{"dtype":"U8","shape":[8],"data_offsets":[4,12]}}""", new byte[12]), "tensor 'b' data_offsets [4, 12] overlaps tensor 'a' data_offsets [0, 8]" },
        { "empty tensor inside another", Build("""{"a":{"dtype":"U8","shape":[8],"data_offsets":[0,8]},"b":{"dtype":"U8","shape":[0],"data_offsets":[4,4]}}""", new byte[8]), "tensor 'b' data_offsets [4, 4] overlaps" },
        { "offsets past the data", Build("""{"a":{"dtype":"U8","shape":[1099511627776],"data_offsets":[0,1099511627776]}}""", [1]), "data_offsets [0, 1099511627776] reaching past the data section of 1 bytes" },
        { "offset beyond 2^63", Build("""{"a":{"dtype":"U8","shape":[1],"data_offsets":[0,18446744073709551615]}}""", [1]), "field 'data_offsets' entry 1 is 18446744073709551615" },
        { "begin after end", Build("""{"a":{"dtype":"U8","shape":[0],"data_offsets":[1,0]}}""", [1]), "data_offsets [1, 0] whose begin is after its end" },
        { "three offsets", Build("""{"a":{"dtype":"U8","shape":[1],"data_offsets":[0,1,1]}}""", [1]), "data_offsets [0, 1, 1]; it must be two numbers" },
        { "hole between tensors", Build("""{"a":{"dtype":"U8","shape":[4],"data_offsets":[0,4]},"b":{"dtype":"U8","shape":[4],"data_offsets":[8,12]}}""", new byte[12]), "bytes [4, 8) of the data section belong to no tensor (after tensor 'a' data_offsets [0, 4], before tensor 'b' data_offsets [8, 12])" },
        { "hole at the start", Build("""{"a":{"dtype":"U8","shape":[4],"data_offsets":[4,8]}}""", new byte[8]), "bytes [0, 4) of the data section belong to no tensor (at the start of the data section" },
        { "bytes after the last tensor", Build("""{"a":{"dtype":"U8","shape":[4],"data_offsets":[0,4]}}""", new byte[6]), "data section has 6 bytes but the last tensor, tensor 'a' data_offsets [0, 4], ends at 4" },
        { "data without tensors", Build("{}", new byte[3]), "data section has 3 bytes but the header declares no tensors" },
        { "data cut short", [.. Build("""{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}""", new byte[8])[..^3]], "reaching past the data section of 5 bytes (file cut short?)" },
        { "negative shape entry", Build("""{"a":{"dtype":"U8","shape":[-1,3],"data_offsets":[0,0]}}"""), "field 'shape' entry 0 is -1; it must be an integer from 0 to 9223372036854775807" },
        { "fractional shape entry", Build("""{"a":{"dtype":"U8","shape":[2.5],"data_offsets":[0,2]}}""", [1, 2]), "field 'shape' entry 0 is 2.5" },
        { "shape entry with an exponent", Build("""{"a":{"dtype":"U8","shape":[2e0],"data_offsets":[0,2]}}""", [1, 2]), "field 'shape' entry 0 is 2e0" },
        { "shape entry as a string", Build("""{"a":{"dtype":"U8","shape":["2"],"data_offsets":[0,2]}}""", [1, 2]), "field 'shape' entry 0 is a string" },
        { "shape not an array", Build("""{"a":{"dtype":"U8","shape":2,"data_offsets":[0,2]}}""", [1, 2]), "field 'shape' is a number" },
        // 2^32 × 2^32 = 2^64 elements, one past a signed 64-bit count; 2^62 × 2 F32 elements = 2^65 bytes.
        { "shape product overflow", Build("""{"a":{"dtype":"U8","shape":[4294967296,4294967296],"data_offsets":[0,0]}}"""), "shape [4294967296, 4294967296] and dtype U8, whose byte count overflows" },
        { "byte count overflow", Build("""{"a":{"dtype":"F32","shape":[4611686018427387904,2],"data_offsets":[0,0]}}"""), "dtype F32, whose byte count overflows" },
    };

    [Theory]
    [MemberData(nameof(HostileFiles))]
    public void Read_OfAHostileFile_ThrowsModelFormatExceptionWithAClearMessage_AndAllocatesLittle(string description, byte[] file, string expected)
    {
        foreach (Func<SafeTensorsFile> read in new Func<SafeTensorsFile>[] { () => SafeTensorsReader.Read(file, Source), () => SafeTensorsReader.Read(new MemoryStream(file), Source) })
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            var exception = Assert.Throws<ModelFormatException>(read);
            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

            Assert.StartsWith($"{Source}: ", exception.Message);
            Assert.Contains(expected, exception.Message);
            Assert.DoesNotContain('\n', exception.Message);
            // A rejected file may cost a few times its own size (header copy, parser state), never what its numbers claim.
            Assert.True(allocated < 4 * file.Length + 1_000_000, $"{description}: {allocated} bytes allocated for a {file.Length}-byte file");
        }
    }

    [Fact]
    public void Read_OfAShapeEntryOfAMillionDigits_ShortensTheNumberInTheMessage()
    {
        // Kept out of HostileFiles: xunit serialises theory data at discovery, and this file is a megabyte.
        byte[] file = Build("{\"a\":{\"dtype\":\"U8\",\"shape\":[" + new string('9', 1_000_000) + "],\"data_offsets\":[0,0]}}");

        var exception = Assert.Throws<ModelFormatException>(() => SafeTensorsReader.Read(new MemoryStream(file), Source));

        Assert.EndsWith("entry 0 is " + new string('9', 40) + "... (1000000 characters); it must be an integer from 0 to 9223372036854775807", exception.Message);
    }

    [Fact]
    public void Read_OfAHeaderWithAHugeName_ShortensTheNameInTheMessage()
    {
        string name = new('n', 10_000);
        byte[] file = Build($$$"""{"{{{name}}}":{"dtype":"U8","shape":[2],"data_offsets":[0,1]}}""", [1]);

        var exception = Assert.Throws<ModelFormatException>(() => SafeTensorsReader.Read(file, Source));

        Assert.Contains("...' (10000 characters)", exception.Message);
        Assert.True(exception.Message.Length < 400, exception.Message);
    }

    internal static byte[] Prefix(ulong headerLength)
    {
        var prefix = new byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(prefix, headerLength);
        return prefix;
    }

    /// <summary>A file whose prefix states the header's true length, so that only the header or data is hostile.</summary>
    internal static byte[] Build(string json, byte[]? data = null) => Build(Encoding.UTF8.GetBytes(json), data);

    private static byte[] Build(byte[] json, byte[]? data = null) => [.. Prefix((ulong)json.Length), .. json, .. data ?? []];
}
