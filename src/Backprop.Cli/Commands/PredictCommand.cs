using System.CommandLine;
using Backprop.Cli.Data;
using Backprop.Cli.Files;
using Backprop.Cli.Models;
using Backprop.Cli.Output;
using Backprop.IO;
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
            string modelPath = parseResult.GetRequiredValue(model);
            string? dataPath = parseResult.GetValue(data), outPath = parseResult.GetValue(output);
            OutputPaths.Check([FileRole.Of("--model", modelPath), FileRole.Of("--data", dataPath)], [FileRole.Of("--out", outPath)]);
            var (network, info) = ModelStore.Load(modelPath);
            var (standardOutput, error) = (parseResult.InvocationConfiguration.Output, parseResult.InvocationConfiguration.Error);
            int unpredicted;
            if (info.InputKind == ModelInfo.Image)
            {
                string images = dataPath ?? throw new InvalidOperationException("This model classifies images; give an image file or folder with --data.");
                unpredicted = WriteCsv(outPath, standardOutput, writer => ImagePrediction.Write(writer, network, info, images, parseResult.GetValue(skipBadImages), error));
            }
            else if (info.Preprocessor is { } table)
                unpredicted = WriteCsv(outPath, standardOutput, writer => TablePrediction.Write(network, info, table, dataPath, parseResult.GetValue(delimiter), writer, error));
            else
                unpredicted = WriteCsv(outPath, standardOutput, writer => PredictionCsv.Write(writer, [network.Predict(DataSource.ForPrediction(dataPath, info))], info));
            if (PredictionCsv.Warning(unpredicted) is { } warning) error.WriteLine(warning);
            return ExitCode.Ok;
        });
        return command;
    }

    /// <summary>
    /// Runs <paramref name="write"/> on the --out file (atomically) or on stdout (held back until it has succeeded); returns
    /// what it returns (the rows given no class). Either way a run that fails writes nothing.
    /// </summary>
    private static int WriteCsv(string? outPath, TextWriter standardOutput, Func<TextWriter, int> write)
    {
        if (outPath is null) return HeldOutput.Write(standardOutput, write);
        int result = 0;
        AtomicFile.Write(outPath, stream =>
        {
            using var file = new StreamWriter(stream, leaveOpen: true);
            result = write(file);
        });
        return result;
    }
}
