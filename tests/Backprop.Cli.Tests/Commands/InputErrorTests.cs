using System.Buffers.Binary;
using Backprop.Tests;

namespace Backprop.Cli.Tests.Commands;

/// <summary>Malformed or missing inputs: exit 1 and one line on stderr that names the file and the problem.</summary>
public class InputErrorTests
{
    [Fact]
    public void IdxImages_WithABadMagicNumber()
    {
        using var folder = TinyMnist();
        var bytes = File.ReadAllBytes(folder.File("train-images-idx3-ubyte"));
        bytes[3] = 0x99;
        folder.Write("train-images-idx3-ubyte", bytes);

        AssertOneLineError(CliRun.InProcess("train", "--data", folder.Path, "--quiet", "--out", folder.File("m.safetensors")), "train-images-idx3-ubyte", "magic");
    }

    [Fact]
    public void IdxLabels_Truncated()
    {
        using var folder = TinyMnist();
        var bytes = File.ReadAllBytes(folder.File("t10k-labels-idx1-ubyte"));
        folder.Write("t10k-labels-idx1-ubyte", bytes[..^1]);

        AssertOneLineError(CliRun.InProcess("train", "--data", folder.Path, "--quiet", "--out", folder.File("m.safetensors")), "t10k-labels-idx1-ubyte", "");
    }

    [Theory]
    [InlineData("a,b,label\n1,2,x\n3,y\n", "line 3")]
    [InlineData("a,b,label\n1,2,x\n3,1e300,y\n", "'1e300' is outside float32's range")]
    [InlineData("a,b,label\n1,2,x\n3,Infinity,y\n", "'Infinity' is not a finite number")]
    [InlineData("", "empty")]
    public void Csv_Malformed(string content, string problem)
    {
        using var folder = new TempFolder();
        string path = folder.Write("bad.csv", content);

        AssertOneLineError(CliRun.InProcess("train", "--data", path, "--quiet", "--out", folder.File("m.safetensors")), "bad.csv", problem);
    }

    [Theory]
    // A gzip file is a 10-byte header, the deflate data and an 8-byte trailer (RFC 1952): cut in the data, and in the trailer.
    [InlineData("deflate data")]
    [InlineData("trailer")]
    public void CsvGzip_CutShort_SaysItIsTruncated_NotWhatTheCutTextLacks(string cutIn)
    {
        using var folder = new TempFolder();
        var text = System.Text.Encoding.ASCII.GetBytes("a,b,target\n" + string.Concat(Enumerable.Range(0, 3000).Select(i => $"{i},{i % 17},{i % 2}\n")));
        using var packed = new MemoryStream();
        using (var gzip = new System.IO.Compression.GZipStream(packed, System.IO.Compression.CompressionLevel.Optimal, leaveOpen: true)) gzip.Write(text);
        byte[] whole = packed.ToArray();
        string path = folder.Write("data.csv.gz", cutIn == "trailer" ? whole[..^3] : whole[..(whole.Length / 2)]);

        var run = CliRun.InProcess("train", "--data", path, "--label", "target", "--quiet", "--no-plot", "--out", folder.File("m.safetensors"));

        AssertOneLineError(run, "data.csv.gz", "gzip data is truncated");
        Assert.False(File.Exists(folder.File("m.safetensors")));
    }

    [Fact]
    public void Csv_UnknownLabelColumn()
    {
        using var folder = new TempFolder();
        string path = folder.Write("data.csv", "a,b,label\n1,2,x\n3,4,y\n");

        AssertOneLineError(CliRun.InProcess("train", "--data", path, "--label", "colour", "--quiet"), "data.csv", "colour");
    }

    [Fact]
    public void MissingDataPath()
    {
        AssertOneLineError(CliRun.InProcess("train", "--data", "no-such-data.csv", "--quiet"), "no-such-data.csv", "does not exist");
    }

    [Fact]
    public void MissingModelFile()
    {
        AssertOneLineError(CliRun.InProcess("evaluate", "--model", "no-such-model.safetensors"), "no-such-model.safetensors", "no such model file");
        AssertOneLineError(CliRun.InProcess("predict", "--model", "no-such-model.safetensors"), "no-such-model.safetensors", "no such model file");
    }

    [Fact]
    public void ModelFile_ThatIsNotAModel()
    {
        using var folder = new TempFolder();
        string text = folder.Write("notes.safetensors", "these are not weights");
        AssertOneLineError(CliRun.InProcess("evaluate", "--model", text), "notes.safetensors", "");

        string weightsOnly = folder.File("weights.safetensors");
        Backprop.IO.SafeTensorsWriter.Write(weightsOnly, [Backprop.IO.SafeTensorsEntry.FromFloats("0.weight", [1f, 2f], 1, 2)]);
        AssertOneLineError(CliRun.InProcess("predict", "--model", weightsOnly), "weights.safetensors", "not a model saved by backprop train");
    }

    [Fact]
    public void BuiltTool_ExitsWith1ForABadFile()
    {
        var run = CliRun.AsProcess("evaluate", "--model", "no-such-model.safetensors");

        Assert.Equal(1, run.ExitCode);
        Assert.Single(run.ErrorLines);
    }

    private static void AssertOneLineError(CliRun run, string file, string problem)
    {
        Assert.Equal(1, run.ExitCode);
        var line = Assert.Single(run.ErrorLines).TrimEnd('\r');
        Assert.StartsWith("error: ", line);
        Assert.Contains(file, line);
        Assert.Contains(problem, line, StringComparison.OrdinalIgnoreCase);
        Assert.Empty(run.Output);
    }

    /// <summary>A folder with the four MNIST files, plain IDX, two 28×28 images per set.</summary>
    private static TempFolder TinyMnist()
    {
        var folder = new TempFolder();
        foreach (var set in new[] { "train", "t10k" })
        {
            folder.Write($"{set}-images-idx3-ubyte", Idx(0x803, [2, 28, 28], new byte[2 * 28 * 28]));
            folder.Write($"{set}-labels-idx1-ubyte", Idx(0x801, [2], [3, 7]));
        }
        return folder;
    }

    private static byte[] Idx(int magic, int[] dimensions, byte[] data)
    {
        var bytes = new byte[4 + 4 * dimensions.Length + data.Length];
        BinaryPrimitives.WriteInt32BigEndian(bytes, magic);
        for (int i = 0; i < dimensions.Length; i++) BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4 + 4 * i), dimensions[i]);
        data.CopyTo(bytes, 4 + 4 * dimensions.Length);
        return bytes;
    }
}
