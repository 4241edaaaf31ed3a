using Backprop.Cli.Models;
using Backprop.Cli.Output;
using Backprop.Data;
using Backprop.IO;
using Backprop.NN;

namespace Backprop.Cli.Commands;

/// <summary><c>export</c> for a model trained on a table: its preprocessing goes into the graph, which takes raw values.</summary>
internal static class TableExport
{
    public static int Run(Module network, ModelInfo info, TablePreprocessor table, string modelPath, string onnxPath, bool json, TextWriter output)
    {
        var notes = OnnxExporter.ExportTable(network, onnxPath, table, info.ToDescription());
        var numeric = table.NumericColumns;
        var categorical = table.CategoricalColumns;
        string result = info.IsRegression ? $"the predicted '{table.LabelColumn}'" : $"logits for classes {string.Join(", ", info.ClassNames)}";
        if (json)
        {
            JsonOutput.Write(output, new { model = modelPath, onnx = onnxPath, numeric_input = numeric.Count > 0 ? "numeric" : null, numeric_columns = numeric,
                categorical_input = categorical.Count > 0 ? "categorical" : null, categorical_columns = categorical, output = "output", task = info.IsRegression ? "regression" : "classification", notes });
            return ExitCode.Ok;
        }
        output.WriteLine($"Wrote {onnxPath}: the model with its preprocessing (imputation, scaling, one-hot), output \"output\" [batch, {info.OutputCount}]: {result}");
        if (numeric.Count > 0) output.WriteLine($"  input \"numeric\" float [batch, {numeric.Count}]: {string.Join(", ", numeric)}");
        if (categorical.Count > 0) output.WriteLine($"  input \"categorical\" string [batch, {categorical.Count}]: {string.Join(", ", categorical)}");
        foreach (string note in notes) output.WriteLine($"  note: {note}");
        return ExitCode.Ok;
    }
}
