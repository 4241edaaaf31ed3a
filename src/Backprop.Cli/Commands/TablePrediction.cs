using System.Globalization;
using Backprop.Cli.Data;
using Backprop.Cli.Models;
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

    public static void Write(Module network, ModelInfo info, TablePreprocessor table, string? dataPath, char? delimiter, TextWriter writer, TextWriter error)
    {
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
                for (int c = 1; c < width; c++) if (values[row * width + c] > values[row * width + best]) best = c;
                var fields = new List<string>(width + 2) { key, CsvField(info.ClassNames[best]) };
                for (int c = 0; c < width; c++) fields.Add(values[row * width + c].ToString("G6", CultureInfo.InvariantCulture));
                writer.WriteLine(string.Join(',', fields));
            }
        }
        if (!headerWritten) writer.WriteLine(info.IsRegression ? "index,predicted" : string.Join(',', ["index", "predicted", .. info.ClassNames.Select(CsvField)]));
        TableEvaluation.Warn(error, source);
    }

    /// <summary>
    /// A text as a CSV field, quoted when it holds a comma, quote or line break (RFC 4180). Minimal on purpose: the CLI's
    /// shared CSV writer (formula neutralisation) belongs to the output-safety work and replaces this when it lands.
    /// </summary>
    private static string CsvField(string text) =>
        text.AsSpan().IndexOfAny(",\"\r\n") < 0 ? text : $"\"{text.Replace("\"", "\"\"", StringComparison.Ordinal)}\"";
}
