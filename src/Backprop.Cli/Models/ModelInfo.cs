using System.Text.Json;
using System.Text.Json.Nodes;
using Backprop.Images;
using Backprop.IO;

namespace Backprop.Cli.Models;

/// <summary>
/// What the tool needs to know about a trained model besides its layers: where its inputs come from and what
/// its outputs mean. Stored in the model file as the library's <see cref="ModelDescription"/> (the data's kind and
/// columns as its preprocessing), so <c>evaluate</c> and <c>predict</c> read data the way <c>train</c> did.
/// </summary>
/// <param name="InputKind"><see cref="Mnist"/> (784 pixels in [0, 1]), <see cref="Csv"/> (numeric feature columns) or <see cref="Image"/> (image files, see <see cref="ImageTransform"/>).</param>
/// <param name="ClassNames">Output i is the class <c>ClassNames[i]</c> (digits for MNIST, the label texts for CSV).</param>
/// <param name="FeatureNames">The CSV feature columns in the order the model takes them; empty for MNIST.</param>
/// <param name="LabelColumn">The CSV label column's name; null for MNIST.</param>
/// <param name="Loss">The loss trained with (<c>cross-entropy</c> or <c>mse</c>): cross-entropy outputs are logits, turned into probabilities by softmax.</param>
/// <param name="InputShape">One example's shape as the model takes it: [784] or [features] for an MLP, [1, 28, 28] for a CNN.</param>
internal sealed record ModelInfo(
    string InputKind, IReadOnlyList<string> ClassNames, IReadOnlyList<string> FeatureNames, string? LabelColumn, string Loss, IReadOnlyList<int> InputShape)
{
    public const string Mnist = "mnist";

    public const string Csv = "csv";

    public const string Image = ImageTransform.PreprocessingKind;

    /// <summary>For image models, how a file becomes the model's input (size, colour mode); null otherwise.</summary>
    public ImageTransform? ImageTransform { get; init; }

    /// <summary>A CSV table read through the library's <see cref="Backprop.Data.TablePreprocessor"/> (imputation, one-hot, scaling, the task).</summary>
    public const string Table = "table";

    /// <summary>For a <see cref="Table"/> model, its preprocessing; null otherwise.</summary>
    public Backprop.Data.TablePreprocessor? Preprocessor { get; init; }

    /// <summary>Whether the model predicts a number (one output, in the target's standardised units) rather than classes.</summary>
    public bool IsRegression => Preprocessor?.Task == ModelTask.Regression;

    /// <summary>How many outputs the network has: one per class, or one for regression.</summary>
    public int OutputCount => IsRegression ? 1 : ClassNames.Count;

    /// <summary>Whether the model takes MNIST images as [N, 1, 28, 28] rather than rows of 784 pixels.</summary>
    public bool TakesImages => InputShape.Count == 3;

    /// <summary>The description saved in the model file: the data's kind and columns are its preprocessing.</summary>
    public ModelDescription ToDescription()
    {
        if (Preprocessor is { } table)
            return new ModelDescription { InputShape = InputShape, Task = table.Task, ClassNames = ClassNames, OutputsAreLogits = Loss == "cross-entropy", Preprocessing = table.ToJson() };
        var preprocessing = ImageTransform?.ToPreprocessing() ?? new JsonObject { ["kind"] = InputKind };
        if (InputKind == Csv)
        {
            preprocessing["features"] = new JsonArray([.. FeatureNames.Select(name => (JsonNode)name)]);
            preprocessing["label_column"] = LabelColumn;
        }
        return new ModelDescription
        {
            InputShape = InputShape,
            ClassNames = ClassNames,
            OutputsAreLogits = Loss != "mse",
            Preprocessing = preprocessing,
        };
    }

    /// <summary>The tool's view of a description it saved.</summary>
    /// <exception cref="ModelFormatException">The description lacks what the tool needs, or its data kind is unknown.</exception>
    public static ModelInfo From(ModelDescription description, string path)
    {
        if (description is not { InputShape: { } shape, ClassNames: { } classes, Preprocessing: { } preprocessing })
            throw new ModelFormatException(path, "its description lacks the input shape, the class names or the preprocessing that backprop needs");
        string kind = preprocessing["kind"]!.GetValue<string>();
        string loss = description.OutputsAreLogits ? "cross-entropy" : "mse";
        return kind switch
        {
            Mnist => new ModelInfo(Mnist, classes, [], null, loss, shape),
            Table => FromTable(Backprop.Data.TablePreprocessor.FromJson(preprocessing, classes, path), description, shape, path),
            Csv => new ModelInfo(Csv, classes, Strings(preprocessing["features"], path), Text(preprocessing["label_column"], path), loss, shape),
            Image => new ModelInfo(Image, classes, [], null, loss, shape) { ImageTransform = ImageTransform.FromPreprocessing(preprocessing, path) },
            _ => throw new ModelFormatException(path, "its inputs are of a kind this version of backprop does not read; update backprop"),
        };
    }

    private static ModelInfo FromTable(Backprop.Data.TablePreprocessor table, ModelDescription description, IReadOnlyList<int> shape, string path)
    {
        if (shape is not [int width] || width != table.FeatureCount)
            throw new ModelFormatException(path, $"its table preprocessing gives {table.FeatureCount} features for an input shape of [{string.Join(", ", shape)}]");
        string loss = table.Task == ModelTask.Regression ? "mse" : description.OutputsAreLogits ? "cross-entropy" : "mse";
        return new ModelInfo(Table, table.ClassNames, table.InputColumns, table.LabelColumn, loss, shape) { Preprocessor = table };
    }

    private static string[] Strings(JsonNode? node, string path) =>
        node is JsonArray array && array.All(item => item is JsonValue value && value.GetValueKind() == JsonValueKind.String)
            ? [.. array.Select(item => item!.GetValue<string>())]
            : throw new ModelFormatException(path, "its CSV preprocessing needs \"features\": an array of column names");

    private static string Text(JsonNode? node, string path) =>
        node is JsonValue value && value.GetValueKind() == JsonValueKind.String
            ? value.GetValue<string>()
            : throw new ModelFormatException(path, "its CSV preprocessing needs a \"label_column\" name");
}
