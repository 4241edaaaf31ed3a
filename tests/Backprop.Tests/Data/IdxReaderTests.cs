using System.IO.Compression;
using Backprop.Data;

namespace Backprop.Tests.Data;

public class IdxReaderTests
{
    private static byte[] Header(params uint[] words)
    {
        var bytes = new byte[4 * words.Length];
        for (int i = 0; i < words.Length; i++)
            System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(4 * i), words[i]);
        return bytes;
    }

    private static byte[] Gzip(byte[] plain)
    {
        using var packed = new MemoryStream();
        using (var gzip = new GZipStream(packed, CompressionLevel.Fastest)) gzip.Write(plain);
        return packed.ToArray();
    }

    private static byte[] ImageFile(int count, int rows, int columns) =>
        [.. Header(0x803, (uint)count, (uint)rows, (uint)columns), .. Enumerable.Range(0, count * rows * columns).Select(i => (byte)i)];

    [Fact]
    public void ReadImages_PlainAndGzip_GiveTheSamePixels()
    {
        using var temp = new TempFolder();
        byte[] plain = ImageFile(3, 2, 4);
        // Neither name ends in .gz: compression is detected from the content.
        var fromPlain = IdxReader.ReadImages(temp.Write("plain.bin", plain));
        var fromGzip = IdxReader.ReadImages(temp.Write("packed.bin", Gzip(plain)));

        Assert.Equal((3, 2, 4), (fromPlain.Count, fromPlain.Rows, fromPlain.Columns));
        Assert.Equal(plain[16..], fromPlain.Pixels);
        Assert.Equal(fromPlain.Pixels, fromGzip.Pixels);
        Assert.Equal(plain[(16 + 8)..(16 + 16)], fromPlain.Image(1).ToArray());
    }

    [Fact]
    public void ReadLabels_FromNonSeekableGzipStream_ReadsAll()
    {
        byte[] plain = [.. Header(0x801, 5), 0, 1, 2, 3, 9];
        using var stream = new NonSeekableStream(Gzip(plain));

        Assert.Equal(new byte[] { 0, 1, 2, 3, 9 }, IdxReader.ReadLabels(stream, "labels"));
    }

    [Fact]
    public void ReadImages_BadMagic_QuotesItInHex()
    {
        using var temp = new TempFolder();
        string path = temp.Write("images.idx", [.. Header(0x12345678, 1, 1, 1), 0]);

        var error = Assert.Throws<DataFormatException>(() => IdxReader.ReadImages(path));

        Assert.Contains("images.idx byte 0", error.Message);
        Assert.Contains("bad magic number 0x12345678", error.Message);
    }

    [Fact]
    public void ReadImages_OfLabelFile_SaysWrongDimensionCount()
    {
        using var temp = new TempFolder();
        string path = temp.Write("train-labels-idx1-ubyte", [.. Header(0x801, 2), 1, 2]);

        var error = Assert.Throws<DataFormatException>(() => IdxReader.ReadImages(path));

        Assert.Contains("train-labels-idx1-ubyte byte 0", error.Message);
        Assert.Contains("declares 1 dimension(s); an IDX image file has 3 or 4 (magic 0x00000803 or 0x00000804)", error.Message);
    }

    [Fact]
    public void ReadImages_TruncatedHeader_SaysExpectedAndFoundBytes()
    {
        using var temp = new TempFolder();
        string path = temp.Write("short.idx", Header(0x803, 10, 28, 28)[..9]);

        var error = Assert.Throws<DataFormatException>(() => IdxReader.ReadImages(path));

        Assert.Contains("short.idx byte 9", error.Message);
        Assert.Contains("truncated header: an IDX image file's header is 16 bytes, found 9", error.Message);
    }

    [Fact]
    public void ReadImages_TruncatedData_SaysExpectedAndFoundBytesAndOffset()
    {
        using var temp = new TempFolder();
        string path = temp.Write("cut.idx", ImageFile(10, 28, 28)[..(16 + 1000)]);

        var error = Assert.Throws<DataFormatException>(() => IdxReader.ReadImages(path));

        Assert.Equal("cut.idx", Path.GetFileName(error.FileName));
        Assert.Equal(1016, error.ByteOffset);
        Assert.Contains("truncated data: header declares 10×28×28 = 7840 bytes after the 16-byte header, found 1000", error.Message);
    }

    [Fact]
    public void ReadImages_TruncatedGzipData_CountsDecompressedBytes()
    {
        using var temp = new TempFolder();
        string path = temp.Write("cut.gz", Gzip(ImageFile(10, 28, 28)[..(16 + 1000)]));

        var error = Assert.Throws<DataFormatException>(() => IdxReader.ReadImages(path));

        Assert.Contains("cut.gz byte 1016 (decompressed): truncated data", error.Message);
        Assert.Contains("7840 bytes after the 16-byte header, found 1000", error.Message);
    }

    [Fact]
    public void ReadImages_AbsurdSize_FailsBeforeAllocating()
    {
        using var temp = new TempFolder();
        string path = temp.Write("huge.gz", Gzip([.. Header(0x803, int.MaxValue, 28, 28), 1, 2, 3]));

        var error = Assert.Throws<DataFormatException>(() => IdxReader.ReadImages(path));

        Assert.Contains("huge.gz byte 4 (decompressed)", error.Message);
        Assert.Contains("2147483647×28×28", error.Message);
    }

    [Fact]
    public void ReadImages_LyingHeaderInGzip_ReportsTruncationWithoutHugeAllocation()
    {
        // 100 million bytes declared, 3 present: the reader must not allocate the declared size.
        using var temp = new TempFolder();
        string path = temp.Write("lying.gz", Gzip([.. Header(0x803, 100_000, 1000, 1), 1, 2, 3]));
        long before = GC.GetAllocatedBytesForCurrentThread();

        var error = Assert.Throws<DataFormatException>(() => IdxReader.ReadImages(path));

        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 10_000_000);
        Assert.Contains("found 3", error.Message);
    }

    [Fact]
    public void ReadLabels_TrailingBytes_AreAnError()
    {
        using var temp = new TempFolder();
        string path = temp.Write("long.idx", [.. Header(0x801, 2), 1, 2, 3]);

        var error = Assert.Throws<DataFormatException>(() => IdxReader.ReadLabels(path));

        Assert.Contains("long.idx byte 10: unexpected data after the 2 = 2 bytes", error.Message);
    }

    private sealed class NonSeekableStream(byte[] content) : MemoryStream(content)
    {
        public override bool CanSeek => false;
    }
}
