using System.IO.Compression;
using Backprop.Data;

namespace Backprop.Tests.Data;

public class MnistFolderTests
{
    private static readonly string Folder = RepoPaths.Data("mnist10k");

    // Per-digit counts 0..9 from the table in data/mnist10k/README.md.
    private static readonly int[] TrainCounts = [790, 916, 800, 817, 779, 685, 794, 879, 757, 783];
    private static readonly int[] TestCounts = [211, 211, 191, 215, 201, 178, 220, 191, 187, 195];

    private static int[] CountPerDigit(byte[] labels)
    {
        var counts = new int[10];
        foreach (byte label in labels) counts[label]++;
        return counts;
    }

    [Fact]
    public void Load_RepoSubset_Has8000TrainAnd2000TestWithReadmeClassCounts()
    {
        var mnist = MnistFolder.Load(Folder);

        Assert.Equal(8000, mnist.Train.Count);
        Assert.Equal(2000, mnist.Test.Count);
        Assert.Equal((28, 28), (mnist.Train.Images.Rows, mnist.Train.Images.Columns));
        Assert.Equal(8000 * 784, mnist.Train.Images.Pixels.Length);
        Assert.Equal(TrainCounts, CountPerDigit(mnist.Train.Labels));
        Assert.Equal(TestCounts, CountPerDigit(mnist.Test.Labels));
        Assert.Equal(mnist.Test.Labels.Select(label => (int)label), mnist.Test.LabelsAsInt());
    }

    [Fact]
    public void Load_RepoSubset_PixelsSpanTheFullGreyRange()
    {
        var pixels = MnistFolder.Load(Folder).Test.Images.Pixels;

        Assert.Equal(0, pixels.Min());
        Assert.Equal(255, pixels.Max());
        float[] scaled = MnistFolder.Load(Folder).Test.Images.ToScaledFloats();
        Assert.Equal(1f, scaled.Max());
        Assert.Equal(0f, scaled.Min());
    }

    [Fact]
    public void Load_UncompressedCopy_ReadsTheSame()
    {
        using var temp = new TempFolder();
        foreach (string gz in Directory.GetFiles(Folder, "*.gz"))
        {
            using var input = new GZipStream(File.OpenRead(gz), CompressionMode.Decompress);
            using var output = File.Create(temp.File(Path.GetFileNameWithoutExtension(gz)));
            input.CopyTo(output);
        }

        var packed = MnistFolder.Load(Folder);
        var plain = MnistFolder.Load(temp.Path);

        Assert.Equal(packed.Train.Images.Pixels, plain.Train.Images.Pixels);
        Assert.Equal(packed.Train.Labels, plain.Train.Labels);
        Assert.Equal(packed.Test.Images.Pixels, plain.Test.Images.Pixels);
        Assert.Equal(packed.Test.Labels, plain.Test.Labels);
    }

    [Fact]
    public void Load_FromStreams_MatchesFolder()
    {
        Stream Open(string name) => File.OpenRead(Path.Combine(Folder, name + ".gz"));
        using var trainImages = Open(MnistFolder.TrainImagesFile);
        using var trainLabels = Open(MnistFolder.TrainLabelsFile);
        using var testImages = Open(MnistFolder.TestImagesFile);
        using var testLabels = Open(MnistFolder.TestLabelsFile);

        var fromStreams = MnistFolder.Load(trainImages, trainLabels, testImages, testLabels);

        Assert.Equal(MnistFolder.Load(Folder).Test.Labels, fromStreams.Test.Labels);
        Assert.Equal(8000, fromStreams.Train.Count);
    }

    [Fact]
    public void Load_MissingFile_NamesFolderAndFile()
    {
        using var temp = new TempFolder();
        File.Copy(Path.Combine(Folder, "train-images-idx3-ubyte.gz"), temp.File("train-images-idx3-ubyte.gz"));

        var error = Assert.Throws<FileNotFoundException>(() => MnistFolder.Load(temp.Path));

        Assert.Contains(temp.Path, error.Message);
        Assert.Contains("has no train-labels-idx1-ubyte", error.Message);
        Assert.Contains("contains: train-images-idx3-ubyte.gz", error.Message);
    }

    [Fact]
    public void Load_LabelCountDiffersFromImageCount_NamesBothFiles()
    {
        using var temp = new TempFolder();
        foreach (string file in Directory.GetFiles(Folder, "*.gz"))
            File.Copy(file, temp.File(Path.GetFileName(file)));
        File.Copy(Path.Combine(Folder, "t10k-labels-idx1-ubyte.gz"), temp.File("train-labels-idx1-ubyte.gz"), overwrite: true);

        var error = Assert.Throws<DataFormatException>(() => MnistFolder.Load(temp.Path));

        Assert.Contains("train-labels-idx1-ubyte.gz: has 2000 labels but", error.Message);
        Assert.Contains("train-images-idx3-ubyte.gz has 8000 images", error.Message);
    }
}
