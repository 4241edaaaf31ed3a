using System.CommandLine;
using Backprop.Cli.Data;
using Backprop.Cli.Files;
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
        var command = new Command("predict", "Predict with a trained model; CSV columns: index, predicted class, "
            + "then one probability per class (p_<class>, softmax of the outputs; score_<class> for an mse model)")
        {
            model, data, output, seed,
        };
        command.SetAction(parseResult =>
        {
            string modelPath = parseResult.GetRequiredValue(model);
            string? dataPath = parseResult.GetValue(data), outPath = parseResult.GetValue(output);
            OutputPaths.Check([FileRole.Of("--model", modelPath), FileRole.Of("--data", dataPath)], [FileRole.Of("--out", outPath)]);
            var (network, info) = ModelStore.Load(modelPath);
            var inputs = DataSource.ForPrediction(dataPath, info);
            Tensor[] batches = [network.Predict(inputs)];
            int unpredicted = 0;
            if (outPath is not null)
            {
                AtomicFile.Write(outPath, stream =>
                {
                    using var file = new StreamWriter(stream, leaveOpen: true);
                    unpredicted = PredictionCsv.Write(file, batches, info);
                });
            }
            else
            {
                unpredicted = PredictionCsv.Write(parseResult.InvocationConfiguration.Output, batches, info);
            }
            if (PredictionCsv.Warning(unpredicted) is { } warning) parseResult.InvocationConfiguration.Error.WriteLine(warning);
            return ExitCode.Ok;
        });
        return command;
    }
}
