using System.CommandLine;
using System.CommandLine.Parsing;
using Backprop.Data;
using Backprop.IO;

namespace Backprop.Cli.Commands;

/// <summary>
/// <c>train</c>'s options for CSV tables (task, missing values, categorical columns, scaling, reading) and how they become
/// the library's <see cref="TableOptions"/>; <see cref="Delimiter"/> is shared with <c>predict</c> and <c>evaluate</c>.
/// </summary>
internal sealed class TableArguments
{
    private static readonly string[] Tasks = ["auto", "classification", "regression"];
    private static readonly string[] Scalings = ["standard", "minmax", "unit", "none"];

    private readonly Option<string> _task = new("--task")
    {
        Description = "CSV: classification or regression (auto: a numeric label with non-integer values or more than 20 distinct values is regression) (auto|classification|regression)",
        CustomParser = OptionValues.OneOf("--task", Tasks),
        DefaultValueFactory = _ => "auto",
        HelpName = "task",
    };
    private readonly Option<string> _scale = new("--scale")
    {
        Description = "CSV: numeric feature scaling, fitted on the training rows: standard (z-score), minmax ([0, 1]), unit (÷255, pixel tables) or none (standard|minmax|unit|none)",
        CustomParser = OptionValues.OneOf("--scale", Scalings),
        DefaultValueFactory = _ => "standard",
        HelpName = "scaling",
    };
    private readonly Option<string?> _categorical = new("--categorical") { Description = "CSV: columns to one-hot encode even if numeric, comma-separated (text columns are categorical anyway)", HelpName = "a,b" };
    private readonly Option<int> _maxCategories = new("--max-categories")
    {
        Description = "CSV: one-hot width of a categorical column, its \"other\" bucket included (default 50: the 49 most frequent values and other)",
        CustomParser = OptionValues.IntAtLeast("--max-categories", 2),
        DefaultValueFactory = _ => 50,
        HelpName = "N",
    };
    private readonly Option<bool> _missingIndicators = new("--missing-indicators") { Description = "CSV: add a 0/1 column per feature that had missing cells" };
    private readonly Option<string?> _naValues = new("--na-values") { Description = "CSV: cell texts that mean missing, comma-separated, besides the empty cell (default: NA,NaN,?)", HelpName = "NA,?" };
    private readonly Option<string?> _ignore = new("--ignore") { Description = "CSV: columns left out of the features (IDs, dates), comma-separated", HelpName = "a,b" };
    private readonly Option<string?> _idColumn = new("--id-column") { Description = "CSV: a column identifying rows, left out of the features and written by predict instead of the row index", HelpName = "column" };
    private readonly Option<char?> _delimiter = Delimiter();
    private readonly Option<bool> _stream = new("--stream") { Description = "CSV: read the rows from the file every epoch instead of holding them in memory (automatic when the features would take more than 1 GiB)" };

    /// <summary><c>--delimiter auto|,|;|tab</c>: null for auto.</summary>
    public static Option<char?> Delimiter() => new("--delimiter")
    {
        Description = "CSV field separator: auto (detected from the header), ',', ';' or tab (auto|,|;|tab)",
        CustomParser = ParseDelimiter,
        HelpName = "delimiter",
    };

    public void AddTo(Command command)
    {
        foreach (Option option in new Option[] { _task, _scale, _categorical, _maxCategories, _missingIndicators, _naValues, _ignore, _idColumn, _delimiter, _stream })
            command.Options.Add(option);
    }

    /// <summary>The library's options for these arguments, with the label column and a row limit.</summary>
    public TableOptions Options(ParseResult parseResult, string? label, long? limit)
    {
        bool byIndex = int.TryParse(label, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out int index);
        return new TableOptions
        {
            LabelColumn = label is null || byIndex ? null : label,
            LabelIndex = byIndex ? index : null,
            Task = parseResult.GetValue(_task) switch { "classification" => ModelTask.Classification, "regression" => ModelTask.Regression, _ => null },
            Scaling = parseResult.GetValue(_scale) switch { "minmax" => FeatureScaling.MinMax, "unit" => FeatureScaling.Unit, "none" => FeatureScaling.None, _ => FeatureScaling.Standard },
            Categorical = List(parseResult.GetValue(_categorical)),
            MaxCategories = parseResult.GetValue(_maxCategories),
            MissingIndicators = parseResult.GetValue(_missingIndicators),
            MissingValues = parseResult.GetValue(_naValues) is { } markers ? List(markers) : TableOptions.DefaultMissingValues,
            Ignore = List(parseResult.GetValue(_ignore)),
            IdColumn = parseResult.GetValue(_idColumn) is { Length: > 0 } id ? id : null,
            Delimiter = parseResult.GetValue(_delimiter),
            Limit = limit,
            Stream = parseResult.GetValue(_stream) ? true : null,
        };
    }

    /// <summary>Whether the user asked for regression by name (so the loss default follows it before the data is read).</summary>
    public string Task(ParseResult parseResult) => parseResult.GetValue(_task) ?? "auto";

    private static string[] List(string? text) => text is null ? [] : text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);

    private static char? ParseDelimiter(ArgumentResult result)
    {
        if (result.Tokens.Count == 0) return null;
        string text = result.Tokens[^1].Value;
        switch (text)
        {
            case "auto": return null;
            case "tab" or "\\t" or "\t": return '\t';
            case "," or ";" or "|": return text[0];
            default:
                result.AddError($"--delimiter must be auto, ',', ';', '|' or tab, got '{text}'.");
                return null;
        }
    }
}
