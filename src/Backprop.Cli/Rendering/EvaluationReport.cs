using System.Globalization;
using Backprop.Cli.Models;
using Backprop.Training;
using Spectre.Console;

namespace Backprop.Cli.Rendering;

/// <summary>
/// How <c>backprop evaluate</c> shows an <see cref="Evaluation"/>: tables for people, one JSON document for machines.
/// Up to <see cref="MaxTableClasses"/> classes the confusion matrix is shown whole; above, the tables show the largest
/// confusions and the weakest classes, and the JSON lists the matrix as sparse [actual, predicted, count] entries, so a
/// model of 10,000 classes is reported in the memory and time of its examples, not of 10⁸ cells.
/// </summary>
internal static class EvaluationReport
{
    /// <summary>The most classes whose confusion matrix is printed, plotted or written to JSON as a full table.</summary>
    public const int MaxTableClasses = 30;

    public static void Render(IAnsiConsole console, Evaluation evaluation, ModelInfo info, string modelPath)
    {
        var confusion = evaluation.Confusion!;
        int classes = confusion.ClassCount;
        console.WriteLine(Invariant($"Model {modelPath} on {evaluation.Count} examples"));
        console.WriteLine(Invariant($"Loss ({info.Loss}): {evaluation.Loss:F4}"));
        console.WriteLine(Invariant($"Accuracy: {evaluation.Accuracy:F4} ({Enumerable.Range(0, classes).Sum(c => confusion[c, c])}/{confusion.Total})"));

        bool whole = classes <= MaxTableClasses;
        // Above the cap: the classes that do worst (lowest F1 among those with examples), as the ones worth a look.
        var shown = whole ? Enumerable.Range(0, classes)
            : Enumerable.Range(0, classes).Where(c => confusion.Support(c) > 0).OrderBy(confusion.F1).ThenBy(c => c).Take(MaxTableClasses);
        // Notes go on lines of their own: a table wraps its title to its own width.
        if (!whole) console.WriteLine(Invariant($"Per class: the {MaxTableClasses} classes with the lowest F1 of {classes} (--json lists all)"));
        var metrics = new Table().Title("Per class").AddColumns("Class", "Precision", "Recall", "F1", "Support");
        foreach (var column in metrics.Columns.Skip(1)) column.RightAligned();
        foreach (int c in shown)
            metrics.AddRow(Markup.Escape(Name(info, c)), Invariant($"{confusion.Precision(c):F4}"), Invariant($"{confusion.Recall(c):F4}"),
                Invariant($"{confusion.F1(c):F4}"), Invariant($"{confusion.Support(c)}"));
        console.Write(metrics);
        if (!whole) console.WriteLine(Invariant($"Confusion matrix: the {MaxTableClasses} largest confusions of {classes} classes (--json lists the whole matrix)"));
        console.Write(whole ? FullMatrix(confusion, info) : LargestConfusions(confusion, info));
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
            confusion_matrix_format = confusion.ClassCount <= MaxTableClasses ? "dense" : "sparse",
            confusion_matrix = confusion.ClassCount <= MaxTableClasses
                ? classes.Select(actual => classes.Select(predicted => confusion[actual, predicted]))
                : (object)confusion.NonZeroCells().Select(cell => new[] { cell.Actual, cell.Predicted, cell.Count }),
        };
    }

    private static Table FullMatrix(ConfusionMatrix confusion, ModelInfo info)
    {
        var matrix = new Table().Title("Confusion matrix").AddColumn("actual / predicted");
        for (int c = 0; c < confusion.ClassCount; c++) matrix.AddColumn(new TableColumn(Markup.Escape(Name(info, c))).RightAligned());
        for (int actual = 0; actual < confusion.ClassCount; actual++)
            matrix.AddRow([Markup.Escape(Name(info, actual)), .. Enumerable.Range(0, confusion.ClassCount).Select(p => Invariant($"{confusion[actual, p]}"))]);
        return matrix;
    }

    private static Table LargestConfusions(ConfusionMatrix confusion, ModelInfo info)
    {
        var cells = confusion.NonZeroCells().Where(cell => cell.Actual != cell.Predicted)
            .OrderByDescending(cell => cell.Count).ThenBy(cell => cell.Actual).ThenBy(cell => cell.Predicted).Take(MaxTableClasses);
        var table = new Table().Title("Largest confusions").AddColumns("Actual", "Predicted", "Count");
        table.Columns[2].RightAligned();
        foreach (var cell in cells) table.AddRow(Markup.Escape(Name(info, cell.Actual)), Markup.Escape(Name(info, cell.Predicted)), Invariant($"{cell.Count}"));
        return table;
    }

    private static string Name(ModelInfo info, int c) => c < info.ClassNames.Count ? info.ClassNames[c] : c.ToString(CultureInfo.InvariantCulture);

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
