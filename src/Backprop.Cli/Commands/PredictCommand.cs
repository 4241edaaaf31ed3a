using System.CommandLine;
using System.Globalization;
using Backprop.Cli.Data;
using Backprop.Cli.Models;
using Backprop.Training;

namespace Backprop.Cli.Commands;

/// <summary><c>backprop predict</c>: the class a trained model predicts for each example, with the class probabilities, as CSV.</summary>
internal static class PredictCommand
{
    public static Command Create()
    {
        var model = ModelOptions.Model();
        var data = ModelOptions.Data("Examples to predict (a CSV's label column may be absent)");
        var output = new Option<string?>("--out") { Description = "Write the CSV to this file instead of stdout", HelpName = "path" };
        var seed = CommonOptions.Seed("accepted for uniformity; prediction has nothing random");
        var delimiter = TableArguments.Delimiter();
        var skipBadImages = ImageOptions.SkipBadImages();
        var command = new Command("predict", "Predict with a trained model; CSV columns: index (file, for an image model), predicted class, "
            + "then one probability per class (p_<class>, softmax of the outputs; score_<class> for an mse model)")
        {
            model, data, output, seed, delimiter, skipBadImages,
        };
        command.SetAction(parseResult =>
        {
            var (network, info) = ModelStore.Load(parseResult.GetRequiredValue(model));
            if (info.InputKind == ModelInfo.Image)
            {
                string images = parseResult.GetValue(data) ?? throw new InvalidOperationException("This model classifies images; give an image file or folder with --data.");
                using var target = parseResult.GetValue(output) is { } csv ? new StreamWriter(csv) : null;
                ImagePrediction.Write(target ?? parseResult.InvocationConfiguration.Output, network, info, images, parseResult.GetValue(skipBadImages), parseResult.InvocationConfiguration.Error);
                return ExitCode.Ok;
            }
            if (info.Preprocessor is { } table)
            {
                using var file = parseResult.GetValue(output) is { } target ? new StreamWriter(target) : null;
                TablePrediction.Write(network, info, table, parseResult.GetValue(data), parseResult.GetValue(delimiter),
                    file ?? parseResult.InvocationConfiguration.Output, parseResult.InvocationConfiguration.Error);
                return ExitCode.Ok;
            }
            var inputs = DataSource.ForPrediction(parseResult.GetValue(data), info);
            var outputs = network.Predict(inputs);
            if (parseResult.GetValue(output) is { } path)
            {
                using var file = new StreamWriter(path);
                Write(file, outputs, info);
            }
            else
            {
                Write(parseResult.InvocationConfiguration.Output, outputs, info);
            }
            return ExitCode.Ok;
        });
        return command;
    }

    private static void Write(TextWriter writer, Tensor outputs, ModelInfo info)
    {
        bool probabilities = info.Loss != "mse";
        var values = (probabilities ? outputs.Softmax() : outputs).ToDoubleArray();
        var predicted = ModuleTraining.PredictedClasses(outputs);
        int classes = info.ClassNames.Count;
        string prefix = probabilities ? "p_" : "score_";
        writer.WriteLine(string.Join(',', ["index", "predicted", .. info.ClassNames.Select(name => Field(prefix + name))]));
        for (int row = 0; row < predicted.Length; row++)
        {
            var fields = new List<string>(classes + 2) { row.ToString(CultureInfo.InvariantCulture), Field(info.ClassNames[predicted[row]]) };
            for (int c = 0; c < classes; c++) fields.Add(values[row * classes + c].ToString("G6", CultureInfo.InvariantCulture));
            writer.WriteLine(string.Join(',', fields));
        }
    }

    /// <summary>A class name as a CSV field, quoted when it holds a comma, quote or line break (RFC 4180).</summary>
    internal static string Field(string text) =>
        text.AsSpan().IndexOfAny(",\"\r\n") < 0 ? text : $"\"{text.Replace("\"", "\"\"", StringComparison.Ordinal)}\"";
}
