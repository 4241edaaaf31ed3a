using System.Globalization;
using Backprop.Cli.Models;
using Backprop.Training;

namespace Backprop.Cli.Output;

/// <summary>
/// <c>backprop predict</c>'s CSV: index, predicted class, then one probability (softmax of the outputs) or score (an
/// mse model) per class, written batch by batch. A row whose outputs are not all numbers gets no class — the predicted
/// field is left empty rather than naming the class a NaN happened to win — and is counted, so the command can say so.
/// </summary>
internal static class PredictionCsv
{
    /// <summary>Writes the header and a row per example of <paramref name="batches"/>; returns how many rows got no class.</summary>
    public static int Write(TextWriter writer, IEnumerable<Tensor> batches, ModelInfo info)
    {
        bool probabilities = info.Loss != "mse";
        int classes = info.ClassNames.Count, index = 0, unpredicted = 0;
        string prefix = probabilities ? "p_" : "score_";
        writer.WriteLine(CsvCells.Row(["index", "predicted", .. info.ClassNames.Select(name => CsvCells.Text(prefix + name))]));
        var fields = new string[classes + 2];
        foreach (var outputs in batches)
        {
            var values = (probabilities ? outputs.Softmax() : outputs).ToDoubleArray();
            var predicted = ModuleTraining.PredictedClasses(outputs);
            for (int row = 0; row < predicted.Length; row++)
            {
                var scores = values.AsSpan(row * classes, classes);
                bool finite = true;
                for (int c = 0; c < classes; c++)
                {
                    fields[c + 2] = CsvCells.Number(scores[c]);
                    finite &= double.IsFinite(scores[c]);
                }
                if (!finite) unpredicted++;
                fields[0] = (index++).ToString(CultureInfo.InvariantCulture);
                fields[1] = finite ? CsvCells.Text(info.ClassNames[predicted[row]]) : "";
                writer.WriteLine(CsvCells.Row(fields));
            }
        }
        return unpredicted;
    }

    /// <summary>The warning for rows that got no class, or null when every row got one.</summary>
    public static string? Warning(int unpredicted) => unpredicted == 0 ? null : string.Create(CultureInfo.InvariantCulture,
        $"warning: {unpredicted} row(s) have outputs that are not numbers (NaN or infinite), so no class was predicted for them (their predicted field is empty); check those rows' values against the training data.");
}
