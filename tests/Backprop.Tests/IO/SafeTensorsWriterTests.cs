using System.Buffers.Binary;
using System.Text;
using Backprop.IO;

namespace Backprop.Tests.IO;

public sealed class SafeTensorsWriterTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("backprop-safetensors-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [Fact]
    public void WriteThenRead_OfSeveralDTypesAndShapes_GivesBackEveryEntryInOrderWithItsMetadata()
    {
        SafeTensorsEntry[] entries =
        [
            SafeTensorsEntry.FromFloats("0.weight", [0.15f, 0.20f, 0.25f, 0.30f, -1f, 1e-30f], 2, 3),
            SafeTensorsEntry.FromDoubles("0.bias", [0.35]),
            new("half", SafeTensorsDType.F16, [3], new byte[] { 0x00, 0x3C, 0x00, 0xC0, 0x55, 0x35 }),
            new("brain", SafeTensorsDType.BF16, [2, 1], new byte[] { 0xC0, 0x3F, 0x49, 0x40 }),
            new("empty", SafeTensorsDType.I64, [0, 3], Array.Empty<byte>()),
            new("steps", SafeTensorsDType.I32, [], new byte[] { 0x2A, 0x00, 0x00, 0x00 }),
            new("mask", SafeTensorsDType.Bool, [2], new byte[] { 1, 0 }),
            new("pixels", SafeTensorsDType.U8, [1, 1, 5], new byte[] { 0, 63, 127, 191, 255 }),
        ];
        var metadata = new Dictionary<string, string>
        {
            ["format"] = "pt",
            ["architecture"] = """{"layers":[{"type":"Dense","inputs":2,"outputs":2}]}""",
            ["auteur"] = "Müller + <é>",
        };
        string path = Path.Combine(folder, "model.safetensors");

        SafeTensorsWriter.Write(path, entries, metadata);
        SafeTensorsFile read = SafeTensorsReader.Read(path);

        Assert.Equal(entries.Select(entry => entry.Name), read.Entries.Select(entry => entry.Name));
        foreach ((SafeTensorsEntry written, SafeTensorsEntry back) in entries.Zip(read.Entries))
        {
            Assert.Equal(written.DType, back.DType);
            Assert.Equal(written.Shape, back.Shape);
            Assert.Equal(written.Data.ToArray(), back.Data.ToArray());
        }

        Assert.Equal(metadata.OrderBy(pair => pair.Key), read.Metadata.OrderBy(pair => pair.Key));
        Assert.Equal([0.35], read["0.bias"].ToDoubleArray());
    }

    [Fact]
    public void Write_LaysOutPrefixCompactHeaderPaddingAndData_AsTheSpecificationSays()
    {
        // The header JSON below is 54 bytes; padded with spaces to 56, the next multiple of 8.
        const string json = """{"w":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}""";
        var stream = new MemoryStream();

        SafeTensorsWriter.Write(stream, [SafeTensorsEntry.FromFloats("w", [1.5f], 1)]);

        // 1.5f = 0x3FC00000 (IEEE 754), little-endian.
        byte[] expected = [56, 0, 0, 0, 0, 0, 0, 0, .. Encoding.UTF8.GetBytes(json), 0x20, 0x20, 0x00, 0x00, 0xC0, 0x3F];
        Assert.Equal(expected, stream.ToArray());
    }

    [Fact]
    public void Write_PutsMetadataFirst_AndAlignsTheDataSectionTo8Bytes()
    {
        var stream = new MemoryStream();

        SafeTensorsWriter.Write(stream, [SafeTensorsEntry.FromFloats("a", [1f]), SafeTensorsEntry.FromFloats("bb", [2f, 3f], 2)], new Dictionary<string, string> { ["k"] = "v" });

        byte[] file = stream.ToArray();
        long headerLength = (long)BinaryPrimitives.ReadUInt64LittleEndian(file);
        string header = Encoding.UTF8.GetString(file, 8, (int)headerLength);
        Assert.Equal(0, headerLength % 8);
        Assert.StartsWith("""{"__metadata__":{"k":"v"},"a":""", header);
        Assert.Contains("\"bb\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}", header);
        Assert.Equal(8 + headerLength + 12, file.Length);
    }

    [Fact]
    public void Write_WithADuplicateName_ThrowsNamingTheTensorAndBothPositions()
    {
        var exception = Assert.Throws<ArgumentException>(() => SafeTensorsWriter.Write(
            new MemoryStream(),
            [SafeTensorsEntry.FromFloats("w", [1f]), SafeTensorsEntry.FromFloats("b", [1f]), SafeTensorsEntry.FromFloats("w", [2f])]));

        Assert.StartsWith("Tensor 'w' appears twice, as entries 0 and 2; names must be unique.", exception.Message);
    }

    [Fact]
    public void Write_WithANullMetadataValue_Throws()
    {
        var metadata = new Dictionary<string, string> { ["format"] = null! };

        var exception = Assert.Throws<ArgumentException>(() => SafeTensorsWriter.Write(new MemoryStream(), [], metadata));

        Assert.Contains("'format' has a null value", exception.Message);
    }

    [Fact]
    public void Write_OverAnExistingFile_ReplacesIt_AndLeavesNoTemporaryFile()
    {
        string path = Path.Combine(folder, "model.safetensors");
        File.WriteAllBytes(path, [1, 2, 3]);

        SafeTensorsWriter.Write(path, [SafeTensorsEntry.FromFloats("w", [4f])]);

        Assert.Equal([4f], SafeTensorsReader.Read(path)["w"].ToFloatArray());
        Assert.Equal([path], Directory.GetFiles(folder));
    }

    [Fact]
    public void Write_OfInvalidEntries_LeavesTheExistingFileByteIdentical_AndNoTemporaryFile()
    {
        string path = Path.Combine(folder, "model.safetensors");
        SafeTensorsWriter.Write(path, [SafeTensorsEntry.FromFloats("w", [1f, 2f], 2)]);
        byte[] before = File.ReadAllBytes(path);

        Assert.Throws<ArgumentException>(() => SafeTensorsWriter.Write(path, [SafeTensorsEntry.FromFloats("w", [3f]), SafeTensorsEntry.FromFloats("w", [4f])]));

        Assert.Equal(before, File.ReadAllBytes(path));
        Assert.Equal([path], Directory.GetFiles(folder));
    }

    [Fact]
    public void Write_ThatFailsAfterTheTemporaryFileWasWritten_DeletesIt()
    {
        // A folder at the target path makes the final rename fail after the data is on disk.
        string path = Path.Combine(folder, "model.safetensors");
        Directory.CreateDirectory(path);

        Exception? exception = Record.Exception(() => SafeTensorsWriter.Write(path, [SafeTensorsEntry.FromFloats("w", [1f])]));

        Assert.True(exception is IOException or UnauthorizedAccessException, $"unexpected {exception}");
        Assert.Empty(Directory.GetFiles(folder));
        Assert.Empty(Directory.GetFileSystemEntries(path));
    }
}
