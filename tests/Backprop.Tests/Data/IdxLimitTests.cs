using System.Buffers.Binary;
using System.Diagnostics;
using System.IO.Compression;
using Backprop.Data;

namespace Backprop.Tests.Data;

/// <summary>IDX files whose headers claim more than they hold, limits, channels, and inputs that are not files.</summary>
public class IdxLimitTests
{
    [Fact]
    public void ReadImages_WithLimit_OfGzipClaimingAMillionImages_FailsOnItsSizeWithoutAllocatingThem()
    {
        // 1,000,000 × 28 × 28 declared (784 MB), 200 images present.
        byte[] file = Gzip([.. Header(0x803, 1_000_000, 28, 28), .. new byte[200 * 784]]);
        long before = GC.GetAllocatedBytesForCurrentThread();

        var error = Assert.Throws<DataFormatException>(() => IdxReader.ReadImages(new MemoryStream(file), "claims.gz", limit: 100));

        Assert.Contains("truncated data", error.Message);
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 8 << 20, "the reader allocated for the claim, not the content");
    }

    [Fact]
    public void ReadImages_WithLimit_OfGzipOfManyBlankImages_KeepsOnlyTheLimit()
    {
        // 200,000 blank 28×28 images: 157 MB decompressed, a few hundred KB compressed.
        byte[] file = Gzip([.. Header(0x803, 200_000, 28, 28), .. new byte[200_000 * 784]]);
        long before = GC.GetAllocatedBytesForCurrentThread();

        var images = IdxReader.ReadImages(new MemoryStream(file), "blank.gz", limit: 100);

        Assert.Equal((100, 1, 28, 28), (images.Count, images.Channels, images.Rows, images.Columns));
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 8 << 20, "the reader kept more than the limit");
    }

    [Fact]
    public void ReadImages_WithLimit_OfGzipWithTrailingData_IsStillAnError()
    {
        byte[] file = Gzip([.. Header(0x803, 3, 2, 2), .. new byte[12], 7, 7]);

        var error = Assert.Throws<DataFormatException>(() => IdxReader.ReadImages(new MemoryStream(file), "long.gz", limit: 1));

        Assert.Contains("unexpected data after the 3×2×2 = 12 bytes", error.Message);
    }

    [Fact]
    public void ReadImages_WithLimit_OfPlainFileShorterThanItsHeader_FailsBeforeReading()
    {
        using var temp = new TempFolder();
        string path = temp.Write("short.idx", [.. Header(0x803, 1_000_000, 28, 28), .. new byte[784]]);

        var error = Assert.Throws<DataFormatException>(() => IdxReader.ReadImages(path, limit: 1));

        Assert.Contains("header declares 1000000×28×28 = 784000000 bytes", error.Message);
        Assert.Contains("found 784", error.Message);
    }

    [Fact]
    public void ReadImages_OfChannelsFile_ReadsNByCByHByW()
    {
        byte[] pixels = [.. Enumerable.Range(0, 2 * 3 * 2 * 4).Select(i => (byte)i)];
        var images = IdxReader.ReadImages(new MemoryStream([.. Header(0x804, 2, 3, 2, 4), .. pixels]), "rgb.idx");

        Assert.Equal((2, 3, 2, 4), (images.Count, images.Channels, images.Rows, images.Columns));
        Assert.Equal(pixels[24..], images.Image(1).ToArray());
        var dataset = new MnistSet(images, [0, 1]).ToDataset(asImages: true);
        Assert.Equal([2, 3, 2, 4], dataset.Inputs.Shape);
    }

    [Theory]
    [InlineData(14, 56)]   // as many pixels as 28×28: a flattened network would have taken it silently
    [InlineData(32, 32)]
    public void MnistFolder_TestImagesOfAnotherShape_AreAnErrorNamingBothFiles(int rows, int columns)
    {
        using var temp = new TempFolder();
        temp.Write("train-images-idx3-ubyte", [.. Header(0x803, 2, 28, 28), .. new byte[2 * 784]]);
        temp.Write("train-labels-idx1-ubyte", [.. Header(0x801, 2), 0, 1]);
        temp.Write("t10k-images-idx3-ubyte", [.. Header(0x803, 1, (uint)rows, (uint)columns), .. new byte[rows * columns]]);
        temp.Write("t10k-labels-idx1-ubyte", [.. Header(0x801, 1), 1]);

        var error = Assert.Throws<DataFormatException>(() => MnistFolder.Load(temp.Path));

        Assert.Contains($"t10k-images-idx3-ubyte: images are {rows}×{columns} but the training images in ", error.Message);
        Assert.Contains("train-images-idx3-ubyte are 28×28", error.Message);
    }

    [Fact]
    public void MnistFolder_WithTrainLimit_KeepsTheFirstTrainingExamplesAndTheWholeTestSet()
    {
        var limited = MnistFolder.Load(RepoPaths.Data("mnist10k"), trainLimit: 50);
        var all = MnistFolder.Load(RepoPaths.Data("mnist10k"));

        Assert.Equal(50, limited.Train.Count);
        Assert.Equal(all.Train.Labels[..50], limited.Train.Labels);
        Assert.Equal(all.Train.Images.Pixels[..(50 * 784)], limited.Train.Images.Pixels);
        Assert.Equal(all.Test.Count, limited.Test.Count);
    }

    [Fact]
    public void ReadImages_OfDevZero_SaysItIsNotAnIdxFile()
    {
        if (!OperatingSystem.IsLinux()) return;
        var error = Assert.Throws<DataFormatException>(() => IdxReader.ReadImages("/dev/zero"));
        Assert.Contains("bad magic number 0x00000000", error.Message);
    }

    [Fact]
    public async Task ReadImages_OfFifo_ReadsItAsAStream()
    {
        if (!OperatingSystem.IsLinux()) return;
        using var temp = new TempFolder();
        string fifo = temp.File("images.fifo");
        using (var mkfifo = Process.Start("mkfifo", fifo)) mkfifo.WaitForExit();
        byte[] content = [.. Header(0x803, 2, 2, 2), 1, 2, 3, 4, 5, 6, 7, 8];
        var writer = Task.Run(() => File.WriteAllBytes(fifo, content));

        var images = IdxReader.ReadImages(fifo);
        await writer;

        Assert.Equal(content[16..], images.Pixels);
    }

    internal static byte[] Header(params uint[] words)
    {
        var bytes = new byte[4 * words.Length];
        for (int i = 0; i < words.Length; i++) BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(4 * i), words[i]);
        return bytes;
    }

    internal static byte[] Gzip(byte[] plain)
    {
        using var packed = new MemoryStream();
        using (var gzip = new GZipStream(packed, CompressionLevel.Fastest)) gzip.Write(plain);
        return packed.ToArray();
    }
}
