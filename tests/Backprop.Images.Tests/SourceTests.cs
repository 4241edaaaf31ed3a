using Backprop.Data;
using Backprop.Tests;
using SkiaSharp;

namespace Backprop.Images.Tests;

/// <summary>The folder layout, defaults, batches and augmentation of image sources.</summary>
public sealed class SourceTests
{
    [Fact]
    public void TintedJpegsOfSeveralSizes_DefaultToRgb32By32()
    {
        using var temp = new TempFolder();
        MnistPictures.WriteFolder(temp.File("a"), MnistPictures.Train, perClass: 3, classes: 2, SKEncodedImageFormat.Jpeg, rgb: true, size: 20);
        MnistPictures.WriteFolder(temp.File("b"), MnistPictures.Test, perClass: 3, classes: 2, SKEncodedImageFormat.Png, rgb: false, size: 36);
        foreach (string digit in new[] { "0", "1" })
        {
            Directory.CreateDirectory(temp.File(Path.Combine("all", digit)));
            foreach (string file in Directory.GetFiles(temp.File(Path.Combine("a", digit))).Concat(Directory.GetFiles(temp.File(Path.Combine("b", digit)))))
                File.Copy(file, temp.File(Path.Combine("all", digit, Path.GetFileName(Path.GetDirectoryName(Path.GetDirectoryName(file)))! + Path.GetFileName(file))));
        }

        var data = ImageFolder.Load(temp.File("all"));

        Assert.Equal(new ImageTransform(32, 32, ColorMode.Rgb), data.Transform);
        Assert.Equal(3, data.Mean.Count);
        var batch = data.Train.Batches(0, 100, shuffle: false, seed: 0).Single();
        Assert.Equal([data.Train.Count, 3, 32, 32], batch.Inputs.Shape);
    }

    [Fact]
    public void HiddenFilesAndOtherExtensions_AreIgnored_ExtensionsInAnyCase_Counted()
    {
        using var temp = new TempFolder();
        MnistPictures.WriteFolder(temp.Path, MnistPictures.Train, perClass: 5, classes: 2);
        File.WriteAllText(temp.File(Path.Combine("0", ".hidden.png")), "not an image, but hidden");
        File.WriteAllText(temp.File(Path.Combine("0", "notes.txt")), "not an image, not an image extension");
        Directory.CreateDirectory(temp.File(Path.Combine("1", ".cache")));
        File.WriteAllText(temp.File(Path.Combine("1", ".cache", "x.png")), "inside a hidden folder");
        File.Move(temp.File(Path.Combine("1", "00004.png")), temp.File(Path.Combine("1", "UPPER.PNG")));
        Directory.CreateDirectory(temp.File(".git"));

        var data = ImageFolder.Load(temp.Path);

        Assert.Equal(["0", "1"], data.ClassNames);
        Assert.Equal(10, data.Train.Count + data.Validation.Count);
        Assert.Contains(data.Train.Files.Concat(data.Validation.Files), f => f.EndsWith("UPPER.PNG", StringComparison.Ordinal));
    }

    [Fact]
    public void SkipBadImages_ListsWhatItLeftOut_InPathOrder()
    {
        using var temp = new TempFolder();
        MnistPictures.WriteFolder(temp.Path, MnistPictures.Train, perClass: 5, classes: 3);
        File.WriteAllBytes(temp.File(Path.Combine("2", "zero.png")), []);
        File.WriteAllBytes(temp.File(Path.Combine("0", "bomb.png")), HandmadePng.Bomb());
        Directory.CreateDirectory(temp.File("9"));

        var data = ImageFolder.Load(temp.Path, new ImageFolderOptions { SkipBadImages = true });

        Assert.Equal(["0", "1", "2"], data.ClassNames);
        Assert.Equal([temp.File(Path.Combine("0", "bomb.png")), temp.File(Path.Combine("2", "zero.png")), temp.File("9")], data.Skipped.Select(s => s.Path));
        Assert.Equal(15, data.Train.Count + data.Validation.Count);
    }

    [Fact]
    public void Batches_VisitEveryImageOnce_WithItsFoldersLabel_InASeededOrder()
    {
        using var temp = new TempFolder();
        MnistPictures.WriteFolder(temp.Path, MnistPictures.Train, perClass: 10, classes: 3);
        var data = ImageFolder.Load(temp.Path, new ImageFolderOptions { CacheBytes = 0 });   // every batch decoded afresh
        var source = data.Train;

        // A batch is valid until the next is asked for (the source reuses its buffers), so each is copied as it comes.
        var first = Copies(source.Batches(2, 7, shuffle: true, seed: 5));
        var again = Copies(source.Batches(2, 7, shuffle: true, seed: 5));
        var other = Copies(source.Batches(3, 7, shuffle: true, seed: 5));

        var labels = first.SelectMany(b => b.Labels).ToArray();
        Assert.Equal(source.Labels!.Order(), labels.Order());
        Assert.Equal(first.SelectMany(b => b.Pixels), again.SelectMany(b => b.Pixels));
        Assert.NotEqual(labels, other.SelectMany(b => b.Labels).ToArray());
        // Each row is its file decoded on its own, with its folder's label.
        var rows = first.SelectMany(b => b.Pixels).Chunk(source.Transform.Length).ToList();
        var decoded = source.Files.Select(source.Transform.Load).ToList();
        for (int r = 0; r < rows.Count; r++)
        {
            int example = decoded.FindIndex(d => d.SequenceEqual(rows[r]));
            Assert.True(example >= 0, $"row {r} is no file's pixels");
            Assert.Equal(source.Labels![example], labels[r]);
        }
    }

    [Fact]
    public void ShuffledBatches_VisitTheImagesInDataLoadersOrder()
    {
        using var temp = new TempFolder();
        MnistPictures.WriteFolder(temp.Path, MnistPictures.Train, perClass: 5, classes: 2);
        var transform = new ImageTransform(28, 28, ColorMode.Gray);
        var source = ImageSource.FromFiles(ImageFolder.Files(temp.Path), transform);
        var decoded = source.Files.Select(transform.Load).ToList();
        var inMemory = new Dataset(Tensor.FromArray([.. decoded.SelectMany(d => d)], [source.Count, .. transform.Shape]), new int[source.Count]);

        foreach (var (seed, epoch) in new[] { (3, 0), (3, 1), (8, 4) })
        {
            // Which file each row is, found by its pixels.
            int[] visited = [.. Copies(source.Batches(epoch, 4, shuffle: true, seed)).SelectMany(b => b.Pixels.Chunk(transform.Length))
                .Select(row => decoded.FindIndex(d => d.SequenceEqual(row)))];
            Assert.Equal(new DataLoader(inMemory, 4, shuffle: true, seed).Order(epoch), visited);
            if ((seed, epoch) == (3, 0))
                // From a 12-line Python SplitMix64 seeded with 3·1,000,003 + 0 and Fisher–Yates with j = ⌊next·(i+1) / 2^64⌋.
                Assert.Equal([1, 2, 6, 3, 8, 5, 7, 4, 9, 0], visited);
        }
    }

    private static List<(float[] Pixels, int[] Labels)> Copies(IEnumerable<Batch> batches) =>
        [.. batches.Select(b => (b.Inputs.ToFloatArray(), b.Labels!))];

    [Fact]
    public void Flip_MirrorsRowsExactly_WhenDrawn_AndIsTheSameForTheSameSeedAndEpoch()
    {
        using var temp = new TempFolder();
        MnistPictures.WriteFolder(temp.Path, MnistPictures.Train, perClass: 8, classes: 2);
        var data = ImageFolder.Load(temp.Path, new ImageFolderOptions { Augmentation = ImageAugmentation.Flip });
        int length = data.Transform.Length;

        float[] plain = data.Validation.Batches(0, 100, false, 0).Single().Inputs.ToFloatArray();   // validation: never augmented
        Assert.Equal(data.Validation.Files.SelectMany(data.Transform.Load), plain);

        float[] epoch0 = data.Train.Batches(0, 100, false, 1).Single().Inputs.ToFloatArray();
        Assert.Equal(epoch0, data.Train.Batches(0, 100, false, 1).Single().Inputs.ToFloatArray());
        int flipped = 0;
        for (int i = 0; i < data.Train.Count; i++)
        {
            float[] original = data.Transform.Load(data.Train.Files[i]);
            float[] seen = epoch0.AsSpan(i * length, length).ToArray();
            float[] mirrored = [.. Enumerable.Range(0, 28).SelectMany(y => Enumerable.Range(0, 28).Select(x => original[y * 28 + 27 - x]))];
            Assert.True(seen.SequenceEqual(original) || seen.SequenceEqual(mirrored), $"image {i} is neither itself nor its mirror");
            flipped += seen.SequenceEqual(mirrored) ? 1 : 0;
        }
        Assert.InRange(flipped, 1, data.Train.Count - 1);
    }

    [Fact]
    public void CropAndShift_MoveTheImageWithinTheirBounds()
    {
        using var temp = new TempFolder();
        MnistPictures.WriteFolder(temp.Path, MnistPictures.Train, perClass: 8, classes: 2);
        var data = ImageFolder.Load(temp.Path, new ImageFolderOptions { Augmentation = ImageAugmentation.Crop });
        float[] seen = data.Train.Batches(0, 1, false, 3).First().Inputs.ToFloatArray();
        float[] original = data.Transform.Load(data.Train.Files[0]);

        // Some shift (dx, dy) within ±4 with black filling in explains the crop exactly.
        bool explained = Enumerable.Range(-4, 9).Any(dy => Enumerable.Range(-4, 9).Any(dx =>
            Enumerable.Range(0, 28 * 28).All(p =>
            {
                int sy = p / 28 - dy, sx = p % 28 - dx;
                float expected = sy is >= 0 and < 28 && sx is >= 0 and < 28 ? original[sy * 28 + sx] : 0;
                return seen[p] == expected;
            })));
        Assert.True(explained);
    }
}
