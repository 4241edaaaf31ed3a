using System.Text;
using Backprop.Data;
using Backprop.Losses;
using Backprop.NN;
using Backprop.Optimizers;
using Backprop.Training;

namespace Backprop.Tests.Data.Tables;

/// <summary>The streamed table source: every training row once per epoch, a bounded seeded shuffle, the same rows as in memory.</summary>
public class TableSourceTests
{
    private const int Rows = 1000;

    private static string Table(TempFolder folder)
    {
        // Feature r = the row number, so a batch's rows can be told apart after standardisation (which is monotonic).
        var text = new StringBuilder("r,y\n");
        for (int row = 0; row < Rows; row++) text.Append(row).Append(row % 3 == 0 ? ",a\n" : ",b\n");
        return folder.Write("rows.csv", text.ToString());
    }

    private static List<float> Epoch(IDataSource source, int epoch, int seed) =>
        [.. source.Batches(epoch, batchSize: 64, shuffle: true, seed).SelectMany(batch => batch.Inputs.ToFloatArray())];

    [Fact]
    public void Streamed_Training_HasEveryTrainingRowOncePerEpoch_TheSameAsInMemory()
    {
        using var folder = new TempFolder();
        string path = Table(folder);
        var streamed = TableData.Load(path, new TableOptions { Stream = true }, validationFraction: 0.2, seed: 3);
        var inMemory = TableData.Load(path, new TableOptions { Stream = false }, validationFraction: 0.2, seed: 3);
        Assert.True(streamed.Streamed);
        Assert.Equal(800, streamed.Train.Count);
        var expected = ((Dataset)inMemory.Train).Inputs.ToFloatArray().Order().ToArray();
        Assert.Equal(expected, Epoch(streamed.Train, 0, 1).Order().ToArray());
        Assert.Equal(expected, Epoch(streamed.Train, 1, 1).Order().ToArray());
        // A window that holds every row shuffles them as DataLoader does (SplitMix64 from seed and epoch), the same in
        // every process: a streamed run repeats an in-memory one exactly.
        Assert.Equal(Epoch(inMemory.Train, 1, 1), Epoch(streamed.Train, 1, 1));
        Assert.Equal(((Dataset)inMemory.Validation!).Inputs.ToFloatArray(),
            streamed.Validation!.Batches(0, 50, shuffle: false, seed: 0).SelectMany(batch => batch.Inputs.ToFloatArray()).ToArray());
    }

    [Fact]
    public void Shuffle_IsDeterministicPerSeedAndEpoch_AndStaysWithinItsWindow()
    {
        using var folder = new TempFolder();
        var data = TableData.Load(Table(folder), new TableOptions { Stream = true, Scaling = FeatureScaling.None }, validationFraction: 0, seed: 0);
        var source = new TableSource(() => File.OpenRead(folder.File("rows.csv")), "rows.csv", data.Preprocessor, true, ',', null, null) { ShuffleRows = 100 };
        var first = Epoch(source, 0, 7);
        Assert.Equal(first, Epoch(source, 0, 7));
        Assert.NotEqual(first, Epoch(source, 1, 7));
        Assert.NotEqual(first, Epoch(source, 0, 8));
        Assert.Equal(Enumerable.Range(0, Rows).Select(r => (float)r), first.Order());
        // A window of 100 rows: the k-th row out was read among the first k + 100, so it is at most k + 99.
        for (int k = 0; k < first.Count; k++) Assert.True(first[k] <= k + 99, $"row {first[k]} came out {k}th");
    }

    [Fact]
    public void Fit_OnAStreamedTable_Learns()
    {
        using var folder = new TempFolder();
        var text = new StringBuilder("x,y\n");
        var random = new Random(1);
        for (int row = 0; row < 400; row++)
        {
            double x = random.NextDouble() * 4 - 2;
            text.Append(x.ToString("R", System.Globalization.CultureInfo.InvariantCulture)).Append(',').Append((3 * x + 1).ToString("R", System.Globalization.CultureInfo.InvariantCulture)).Append('\n');
        }
        var data = TableData.Load(folder.Write("line.csv", text.ToString()), new TableOptions { Stream = true }, validationFraction: 0.25, seed: 0);
        Assert.Equal(Backprop.IO.ModelTask.Regression, data.Preprocessor.Task);
        Rng.ManualSeed(0);
        var model = new Sequential(new Dense(1, 1));
        var history = model.Fit(data.Train, new FitOptions { Epochs = 30, BatchSize = 16, Loss = new MseLoss(), Optimizer = new Adam(model.Parameters(), 0.05), Validation = data.Validation });
        // y = 3x + 1 exactly: a linear model fits it, so the standardised validation MSE goes to ~0.
        Assert.True(history.Epochs[^1].ValidationLoss < 1e-3, $"validation loss {history.Epochs[^1].ValidationLoss}");
        var evaluation = model.Evaluate(data.Validation!, new MseLoss());
        Assert.True(evaluation.RSquared > 0.999, $"R² {evaluation.RSquared}");
    }

    [Fact]
    public void ChunkOrder_IsShuffled_EveryRowStillOnce_AndTheSameForTheSameSeed()
    {
        // 3 chunks and a bit, rows numbered, one row in 50 without a label (dropped), a fifth held out for validation.
        using var folder = new TempFolder();
        var text = new StringBuilder("r,y\n");
        int rows = 3 * ChunkIndex.Rows + 100;
        for (int row = 0; row < rows; row++) text.Append(row).Append(row % 50 == 7 ? ",\n" : row % 2 == 0 ? ",a\n" : ",b\n");
        string path = folder.Write("chunks.csv", text.ToString());
        var streamed = TableData.Load(path, new TableOptions { Stream = true, Scaling = FeatureScaling.None }, validationFraction: 0.2, seed: 5);
        var inMemory = TableData.Load(path, new TableOptions { Stream = false, Scaling = FeatureScaling.None }, validationFraction: 0.2, seed: 5);
        var source = (TableSource)streamed.Train;
        Assert.NotNull(source.Chunks);
        // A window of 16 rows: the first rows out come from the first chunk visited, so the chunk order shows.
        source.ShuffleRows = 16;
        var first = Epoch(source, 0, 3);
        Assert.Equal(((Dataset)inMemory.Train).Inputs.ToFloatArray().Order(), first.Order());
        Assert.Equal(first, Epoch(source, 0, 3));
        Assert.NotEqual(first, Epoch(source, 1, 3));
        var firstChunks = Enumerable.Range(0, 8).Select(epoch => (int)(Epoch(source, epoch, 3)[0] / ChunkIndex.Rows)).ToHashSet();
        Assert.True(firstChunks.Count > 1, $"every epoch started in chunk {string.Join(", ", firstChunks)}");
    }
}
