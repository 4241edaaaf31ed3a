using Backprop.Data;
using Backprop.Tensors;

namespace Backprop.IO;

/// <summary>
/// A <see cref="TablePreprocessor"/> as ONNX nodes: raw numeric and categorical inputs in, the network's features out, in
/// the preprocessor's feature order.
/// </summary>
internal static class OnnxTablePreprocessing
{
    public const string NumericInput = "numeric";

    public const string CategoricalInput = "categorical";

    /// <returns>The features' value name and the widths of the two inputs (0 when absent).</returns>
    public static (string Features, int Numeric, int Categorical) Add(OnnxGraphBuilder graph, TablePreprocessor preprocessor)
    {
        var numeric = preprocessor.Columns.OfType<NumericEncoding>().ToArray();
        var categorical = preprocessor.Columns.OfType<CategoricalEncoding>().ToArray();
        string? scaled = null, missing = null;
        if (numeric.Length > 0)
        {
            var imputed = graph.AddMlNode("Imputer", [NumericInput],
                OnnxAttribute.Floats("imputed_value_floats", [.. numeric.Select(column => column.Fill)]), OnnxAttribute.Float("replaced_value_float", float.NaN));
            scaled = graph.AddNode("Div", [graph.AddNode("Sub", [imputed, Vector(graph, "offset", numeric.Select(c => c.Offset))]), Vector(graph, "scale", numeric.Select(c => c.Scale))]);
            if (numeric.Any(column => column.Indicator))
                missing = graph.AddNode("Cast", [graph.AddNode("IsNaN", [NumericInput])], OnnxAttribute.Int("to", graph.ElementType));
        }

        var pieces = new List<string>();
        int numericIndex = 0, categoricalIndex = 0;
        foreach (var column in preprocessor.Columns)
        {
            if (column is NumericEncoding encoding)
            {
                pieces.Add(Column(graph, scaled!, numericIndex));
                if (encoding.Indicator) pieces.Add(Column(graph, missing!, numericIndex));
                numericIndex++;
            }
            else
            {
                pieces.AddRange(OneHot(graph, (CategoricalEncoding)column, categoricalIndex++, preprocessor.MissingValues));
            }
        }
        return (pieces.Count == 1 ? pieces[0] : graph.AddNode("Concat", pieces, OnnxAttribute.Int("axis", 1)), numeric.Length, categorical.Length);
    }

    /// <summary>
    /// One categorical column: OneHotEncoder over its categories followed by the missing markers (an unknown value is all
    /// zeros), the markers' columns summed into "missing" and added to the fill value's column, "other" = 1 − the sum.
    /// </summary>
    private static IEnumerable<string> OneHot(OnnxGraphBuilder graph, CategoricalEncoding column, int index, IReadOnlyList<string> markers)
    {
        int known = column.Categories.Length;
        if (known == 0) throw new NotSupportedException($"ExportOnnx: categorical column '{Quote.Short(column.Name)}' has no categories (every training cell was missing); leave it out and train again.");
        string[] missingMarkers = ["", .. markers.Where(marker => marker.Length > 0 && Array.IndexOf(column.Categories, marker) < 0)];
        string cell = graph.AddNode("Gather", [CategoricalInput, graph.AddInt64Constant(index)], OnnxAttribute.Int("axis", 1));
        string encoded = graph.AddNode("Flatten", [graph.AddMlNode("OneHotEncoder", [cell],
            OnnxAttribute.Strings("cats_strings", [.. column.Categories, .. missingMarkers]), OnnxAttribute.Int("zeros", 1))], OnnxAttribute.Int("axis", 1));
        string values = Slice(graph, encoded, 0, known);
        string missing = graph.AddNode("ReduceSum", [Slice(graph, encoded, known, known + missingMarkers.Length), graph.AddInt64Constant(1)], OnnxAttribute.Int("keepdims", 1));
        var fill = new float[known];
        fill[column.IndexOf(column.Fill)] = 1;
        string filled = graph.AddNode("Add", [values, graph.AddNode("Mul", [missing, graph.AddInitializer($"{column.Name}.fill", Tensor.FromArray(fill, 1, known))])]);
        string other = graph.AddNode("Sub", [graph.AddConstant(1), graph.AddNode("ReduceSum", [filled, graph.AddInt64Constant(1)], OnnxAttribute.Int("keepdims", 1))]);
        yield return filled;
        yield return other;
        if (column.Indicator) yield return missing;
    }

    private static string Column(OnnxGraphBuilder graph, string matrix, int index) => Slice(graph, matrix, index, index + 1);

    private static string Slice(OnnxGraphBuilder graph, string matrix, int start, int end) =>
        graph.AddNode("Slice", [matrix, graph.AddInt64Constant(start), graph.AddInt64Constant(end), graph.AddInt64Constant(1)]);

    private static string Vector(OnnxGraphBuilder graph, string name, IEnumerable<float> values)
    {
        float[] array = [.. values];
        return graph.AddInitializer($"table.{name}", Tensor.FromArray(array, array.Length));
    }
}
