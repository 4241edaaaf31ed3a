using System.Globalization;
using Backprop.Cli.Data;
using Backprop.Cli.Models;
using Backprop.Cli.Output;
using Backprop.Data;
using Backprop.NN;
using Backprop.Training;

namespace Backprop.Cli.Commands;

/// <summary>
/// <c>predict</c> for a model trained on a table: rows stream in through the model's preprocessing and results stream out, a
/// batch at a time, so memory stays bounded whatever the file's size. Columns: the row index (or the id column), the
/// prediction (the class, or the value in the target's units), then for classification one probability per class.
/// </summary>
internal static class TablePrediction
{
    private const int BatchSize = 1024;

    /// <summary>Writes the predictions; returns how many rows got no class because their outputs are not numbers.</summary>
    public static int Write(Module network, ModelInfo info, TablePreprocessor table, string? dataPath, char? delimiter, TextWriter writer, TextWriter error)
    {
        int unpredicted = 0;
        var source = TableSource.Open(DataSource.RequireCsv(dataPath, info), table, labelled: false, delimiter);
        bool probabilities = info.Loss == "cross-entropy";
        bool headerWritten = false;
        foreach (var batch in source.ReadBatches(BatchSize))
        {
            if (!headerWritten)
            {
                string first = batch.Ids is not null ? CsvField(table.IdColumn!) : "index";
                writer.WriteLine(info.IsRegression ? $"{first},predicted"
                    : string.Join(',', [first, "predicted", .. info.ClassNames.Select(name => CsvField((probabilities ? "p_" : "score_") + name))]));
                headerWritten = true;
            }
            var outputs = network.Predict(Tensor.FromArray(batch.Features, batch.Count, table.FeatureCount));
            var values = (probabilities ? outputs.Softmax() : outputs).ToDoubleArray();
            int width = outputs.Shape[1];
            for (int row = 0; row < batch.Count; row++)
            {
                string key = batch.Ids is { } ids ? CsvField(ids[row]) : (batch.FirstRow + row).ToString(CultureInfo.InvariantCulture);
                if (info.IsRegression)
                {
                    writer.WriteLine($"{key},{table.ToTarget(values[row]).ToString("G7", CultureInfo.InvariantCulture)}");
                    continue;
                }
                int best = 0;
                bool finite = true;
                for (int c = 0; c < width; c++)
                {
                    finite &= double.IsFinite(values[row * width + c]);
                    if (values[row * width + c] > values[row * width + best]) best = c;
                }
                // A row whose outputs are not numbers gets no class rather than the one a NaN happened to win.
                if (!finite) unpredicted++;
                var fields = new List<string>(width + 2) { key, finite ? CsvField(info.ClassNames[best]) : "" };
                for (int c = 0; c < width; c++) fields.Add(CsvCells.Number(values[row * width + c]));
                writer.WriteLine(CsvCells.Row(fields));
            }
        }
        if (!headerWritten) writer.WriteLine(info.IsRegression ? "index,predicted" : string.Join(',', ["index", "predicted", .. info.ClassNames.Select(CsvField)]));
        TableEvaluation.Warn(error, source);
        return unpredicted;
    }

    /// <summary>A text (class name, id, column name) as a CSV field: RFC 4180 quoting and formula neutralisation.</summary>
    private static string CsvField(string text) => CsvCells.Text(text);
}
