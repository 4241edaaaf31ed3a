using System.Globalization;
using System.Text;

namespace Backprop.NN;

public sealed partial class ModelSummary
{
    /// <summary>
    /// The summary as a table, one row per layer (name, type, output shape with the batch axis as N, parameters,
    /// trainable parameters), then the totals and the memory, e.g.
    /// <code>
    /// Layer  Type            Output shape  Parameters  Trainable
    /// ──────────────────────────────────────────────────────────
    /// input                  [N, 784]
    /// 0      Dense(784, 128) [N, 128]         100,480    100,480
    /// </code>
    /// </summary>
    public override string ToString()
    {
        string[] header = ["Layer", "Type", "Output shape", "Parameters", "Trainable"];
        var rows = new List<string[]> { new[] { "input", "", Shape(InputShape), "", "" } };
        rows.AddRange(Layers.Select(l => new[] { l.Name, l.Type, Shape(l.OutputShape), Count(l.Parameters), Count(l.TrainableParameters) }));
        int[] widths = [.. Enumerable.Range(0, header.Length).Select(c => rows.Append(header).Max(r => r[c].Length))];
        var text = new StringBuilder();
        Row(text, header, widths);
        string rule = new('─', widths.Sum() + 2 * (widths.Length - 1));
        text.AppendLine(rule);
        foreach (var row in rows) Row(text, row, widths);
        text.AppendLine(rule);
        text.AppendLine(CultureInfo.InvariantCulture, $"Total parameters: {Count(TotalParameters)} (trainable {Count(TrainableParameters)}, frozen {Count(TotalParameters - TrainableParameters)})");
        text.AppendLine(CultureInfo.InvariantCulture, $"Weights: {Size(WeightBytes)} ({(DType == DType.Float32 ? "float32" : "float64")} parameters and buffers)");
        text.Append(CultureInfo.InvariantCulture, $"Activations: {Size(ActivationBytesPerExample)} per example (every layer's output, kept for the backward pass)");
        return text.ToString();
    }

    private static void Row(StringBuilder text, string[] cells, int[] widths)
    {
        var line = new StringBuilder();
        for (int c = 0; c < cells.Length; c++)
        {
            if (c > 0) line.Append("  ");
            // Names, types and shapes read left to right; counts line up on their last digit.
            line.Append(c >= 3 ? cells[c].PadLeft(widths[c]) : cells[c].PadRight(widths[c]));
        }
        text.AppendLine(line.ToString().TrimEnd());
    }

    private static string Shape(IReadOnlyList<int> perExample) => $"[N, {string.Join(", ", perExample)}]";

    private static string Count(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    /// <summary>Bytes in the largest unit that keeps the number ≥ 1 (1 KB = 1,024 bytes, as memory is counted).</summary>
    private static string Size(long bytes)
    {
        string[] units = ["bytes", "KB", "MB", "GB"];
        double value = bytes;
        int unit = 0;
        while (value >= 1024 && unit < units.Length - 1)
        {
            value /= 1024;
            unit++;
        }
        return unit == 0 ? $"{Count(bytes)} bytes" : string.Create(CultureInfo.InvariantCulture, $"{value:0.#} {units[unit]}");
    }
}
