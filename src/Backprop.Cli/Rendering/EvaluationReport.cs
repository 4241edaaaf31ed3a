using System.Globalization;
using Backprop.Cli.Models;
using Backprop.Training;
using Spectre.Console;

namespace Backprop.Cli.Rendering;

/// <summary>How <c>backprop evaluate</c> shows an <see cref="Evaluation"/>: tables for people, one JSON document for machines.</summary>
internal static class EvaluationReport
{
    public static void Render(IAnsiConsole console, Evaluation evaluation, ModelInfo info, string modelPath)
    {
        var confusion = evaluation.Confusion!;
        console.WriteLine(Invariant($"Model {modelPath} on {evaluation.Count} examples"));
        console.WriteLine(Invariant($"Loss ({info.Loss}): {evaluation.Loss:F4}"));
        console.WriteLine(Invariant($"Accuracy: {evaluation.Accuracy:F4} ({Enumerable.Range(0, confusion.ClassCount).Sum(c => confusion[c, c])}/{confusion.Total})"));

        var metrics = new Table().Title("Per class").AddColumns("Class", "Precision", "Recall", "F1", "Support");
        foreach (var column in metrics.Columns.Skip(1)) column.RightAligned();
        for (int c = 0; c < confusion.ClassCount; c++)
            metrics.AddRow(Markup.Escape(Name(info, c)), Invariant($"{confusion.Precision(c):F4}"), Invariant($"{confusion.Recall(c):F4}"),
                Invariant($"{confusion.F1(c):F4}"), Invariant($"{confusion.Support(c)}"));
        console.Write(metrics);

        var matrix = new Table().Title("Confusion matrix").AddColumn("actual / predicted");
        for (int c = 0; c < confusion.ClassCount; c++) matrix.AddColumn(new TableColumn(Markup.Escape(Name(info, c))).RightAligned());
        for (int actual = 0; actual < confusion.ClassCount; actual++)
            matrix.AddRow([Markup.Escape(Name(info, actual)), .. Enumerable.Range(0, confusion.ClassCount).Select(p => Invariant($"{confusion[actual, p]}"))]);
        console.Write(matrix);
    }

    public static object Json(Evaluation evaluation, ModelInfo info)
    {
        var confusion = evaluation.Confusion!;
        var classes = Enumerable.Range(0, confusion.ClassCount);
        return new
        {
            examples = evaluation.Count,
            loss = evaluation.Loss,
            accuracy = evaluation.Accuracy,
            classes = classes.Select(c => new
            {
                name = Name(info, c),
                precision = confusion.Precision(c),
                recall = confusion.Recall(c),
                f1 = confusion.F1(c),
                support = confusion.Support(c),
            }),
            confusion_matrix = classes.Select(actual => classes.Select(predicted => confusion[actual, predicted])),
        };
    }

    private static string Name(ModelInfo info, int c) => c < info.ClassNames.Count ? info.ClassNames[c] : c.ToString(CultureInfo.InvariantCulture);

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
