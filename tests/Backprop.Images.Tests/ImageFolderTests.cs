using Backprop.Data;
using Backprop.Tests;
using SkiaSharp;

namespace Backprop.Images.Tests;

public sealed class ImageFolderTests
{
    [Fact]
    public void GreyPngFolder_DecodesToTheMnistPixels_WithClassesInOrdinalOrder()
    {
        using var temp = new TempFolder();
        MnistPictures.WriteFolder(temp.Path, MnistPictures.Train, perClass: 10);
        var data = ImageFolder.Load(temp.Path);

        Assert.Equal(["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"], data.ClassNames);
        Assert.Equal(new ImageTransform(28, 28, ColorMode.Gray), data.Transform);   // shared size, every file grey
        Assert.Equal(80, data.Train.Count);    // stratified 0.2 of 10 per class: 2 held out each
        Assert.Equal(20, data.Validation.Count);
        Assert.Null(data.ValidationFolder);   // a split, not a folder
        // PNG is lossless: the decoded pixels are the MNIST bytes that were written.
        string first = data.Train.Files[0];
        int index = FirstIndexOfDigit(int.Parse(Path.GetFileName(Path.GetDirectoryName(first)!)), int.Parse(Path.GetFileNameWithoutExtension(first)));
        var expected = MnistPictures.Train.Images.Image(index).ToArray().Select(b => (float)b);
        Assert.Equal(expected, data.Transform.Load(first));
    }

    [Fact]
    public void TrainingStatistics_AreTheMeanAndStdOfTheTrainingPixels()
    {
        using var temp = new TempFolder();
        MnistPictures.WriteFolder(Path.Combine(temp.Path, "train"), MnistPictures.Train, perClass: 5, classes: 3);
        MnistPictures.WriteFolder(Path.Combine(temp.Path, "test"), MnistPictures.Test, perClass: 2, classes: 3);
        var data = ImageFolder.Load(temp.Path);
        Assert.Equal(15, data.Train.Count);
        Assert.Equal(6, data.Validation.Count);
        Assert.Equal(Path.Combine(temp.Path, "test"), data.ValidationFolder);

        // Independent: every training file decoded on its own, statistics in double.
        var values = data.Train.Files.SelectMany(f => data.Transform.Load(f)).Select(v => v / 255.0).ToArray();
        double mean = values.Average(), std = Math.Sqrt(values.Select(v => (v - mean) * (v - mean)).Average());
        Assert.Equal(mean, data.Mean[0], 5);
        Assert.Equal(std, data.StandardDeviation[0], 5);
    }

    [Fact]
    public void HeldOutClassFolders_AreMatchedToTheTrainingClassesByName()
    {
        using var temp = new TempFolder();
        MnistPictures.WriteFolder(Path.Combine(temp.Path, "train"), MnistPictures.Train, perClass: 2, classes: 3);
        MnistPictures.WriteFolder(Path.Combine(temp.Path, "test"), MnistPictures.Test, perClass: 2, classes: 3);
        Directory.Delete(Path.Combine(temp.Path, "test", "0"), recursive: true);

        var data = ImageFolder.Load(temp.Path);

        // test/ has folders 1 and 2 only: their labels are the training classes "1" and "2", not their positions 0 and 1.
        Assert.Equal([1, 1, 2, 2], data.Validation.Labels);
    }

    [Fact]
    public void HeldOutClassFolder_UnknownToTraining_IsAnErrorNamingIt()
    {
        using var temp = new TempFolder();
        MnistPictures.WriteFolder(Path.Combine(temp.Path, "train"), MnistPictures.Train, perClass: 2, classes: 3);
        MnistPictures.WriteFolder(Path.Combine(temp.Path, "test"), MnistPictures.Test, perClass: 2, classes: 4);

        var error = Assert.Throws<DataFormatException>(() => ImageFolder.Load(temp.Path));

        Assert.Contains("class '3' is not one of the 3 training classes (0, 1, 2)", error.Message);
        Assert.Contains(Path.Combine(temp.Path, "test", "3"), error.Message);
    }

    private static int FirstIndexOfDigit(int digit, int occurrence)
    {
        for (int i = 0, seen = 0; i < MnistPictures.Train.Count; i++)
            if (MnistPictures.Train.Labels[i] == digit && seen++ == occurrence) return i;
        throw new InvalidOperationException();
    }
}
