using System.Globalization;
using Backprop.Data;

namespace Backprop.Tests.Data;

public class CsvReaderTests
{
    [Fact]
    public void ReadBatches_Iris_MatchesTheWholeTable()
    {
        string path = RepoPaths.Data("iris", "iris.csv");
        var table = CsvTable.Load(path);
        var reader = new CsvReader(path);

        var batches = reader.ReadBatches(batchSize: 64).ToList();

        Assert.Equal([64, 64, 22], batches.Select(batch => batch.Rows));
        Assert.Equal(table.Features, batches.SelectMany(batch => batch.Features));
        Assert.Equal(table.Labels!, batches.SelectMany(batch => batch.Labels!));
        Assert.Equal(table.ClassNames, reader.ClassNames);
        Assert.Equal(4, reader.FeatureCount);
    }

    [Fact]
    public void ReadBatches_Regression_YieldsTargets()
    {
        using var temp = new TempFolder();
        string path = temp.Write("r.csv", "x,y\n1,0.5\n2,1.5\n3,2.5\n");

        var batches = new CsvReader(path, new CsvOptions { Regression = true }).ReadBatches(2).ToList();

        Assert.Equal([0.5f, 1.5f], batches[0].Targets!);
        Assert.Equal([2.5f], batches[1].Targets!);
        Assert.Null(batches[0].Labels);
    }

    [Fact]
    public void ReadBatches_BadRowLate_ReportsItsLine()
    {
        using var temp = new TempFolder();
        string path = temp.Write("late.csv", "x,label\n1,a\n2,b\n3,c,extra\n");
        var reader = new CsvReader(path, new CsvOptions { ClassNames = ["a", "b", "c"] });

        var error = Assert.Throws<DataFormatException>(() => reader.ReadBatches(1).ToList());

        Assert.EndsWith("late.csv line 4: expected 2 columns (as in the header), found 3", error.Message);
    }

    [Fact]
    public void ReadBatches_FromStreamFactory_ReadsEachPassFromTheStart()
    {
        byte[] csv = "x,label\n1,b\n2,a\n"u8.ToArray();

        var reader = new CsvReader(() => new MemoryStream(csv), "embedded.csv");
        var batch = Assert.Single(reader.ReadBatches(10));

        Assert.Equal(["a", "b"], reader.ClassNames);
        Assert.Equal([1, 0], batch.Labels!);
    }
}

[Collection(MemoryMeasurement.Name)]
public class CsvReaderMemoryTests
{
    [Fact]
    public void ReadBatches_50MegabyteFile_KeepsMemoryFarBelowFileSize()
    {
        using var temp = new TempFolder();
        string path = temp.File("big.csv");
        // One random block written repeatedly: formatting 6 million numbers would take longer than the read under test.
        var random = new Random(1);
        var block = new System.Text.StringBuilder();
        for (int row = 0; row < 10_000; row++)
        {
            for (int column = 0; column < 6; column++)
                block.Append(CultureInfo.InvariantCulture, $"{random.NextDouble():F6},");
            block.Append(row % 3).Append('\n');
        }
        byte[] blockBytes = System.Text.Encoding.UTF8.GetBytes(block.ToString());
        using (var file = File.Create(path))
        {
            file.Write("a,b,c,d,e,f,label\n"u8);
            while (file.Length < 50_000_000) file.Write(blockBytes);
        }
        long fileSize = new FileInfo(path).Length;
        var reader = new CsvReader(path);
        long baseline = GC.GetTotalMemory(forceFullCollection: true);
        long allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        long peakLive = 0;
        long rows = 0;

        foreach (var batch in reader.ReadBatches(batchSize: 1024))
        {
            rows += batch.Rows;
            if (rows % (128 * 1024) == 0) peakLive = Math.Max(peakLive, GC.GetTotalMemory(forceFullCollection: true) - baseline);
        }
        long allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;

        Assert.True(fileSize >= 50_000_000);
        Assert.Equal(["0", "1", "2"], reader.ClassNames);
        Assert.Equal(10_000 * (fileSize - "a,b,c,d,e,f,label\n".Length) / blockBytes.Length, rows);
        // Materialising would keep rows × 7 × 4 bytes ≈ half the file size alive; streaming keeps one batch.
        Assert.True(peakLive < fileSize / 20, $"live memory grew by {peakLive} bytes for a {fileSize}-byte file");
        // Garbage too stays below the file size: no string per field, only the batches themselves.
        Assert.True(allocated < fileSize, $"allocated {allocated} bytes for a {fileSize}-byte file");
    }
}
