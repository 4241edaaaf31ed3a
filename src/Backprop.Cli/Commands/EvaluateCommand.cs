using System.CommandLine;
using Backprop.Cli.Data;
using Backprop.Cli.Files;
using Backprop.Cli.Output;
using Backprop.Cli.Plotting;
using Backprop.Cli.Rendering;
using Backprop.Losses;
using Backprop.Training;

namespace Backprop.Cli.Commands;

/// <summary><c>backprop evaluate</c>: loss, accuracy, per-class metrics and the confusion matrix of a trained model.</summary>
internal static class EvaluateCommand
{
    public static Command Create()
    {
        var model = ModelOptions.Model();
        var data = ModelOptions.Data("Labelled examples to evaluate on");
        var plot = new Option<string?>("--plot") { Description = "Also write the confusion matrix as a heat map PNG here (models of at most 30 classes)", HelpName = "path" };
        var json = CommonOptions.Json();
        var seed = CommonOptions.Seed("accepted for uniformity; evaluation has nothing random");
        var delimiter = TableArguments.Delimiter();
        var skipBadImages = ImageOptions.SkipBadImages();
        var command = new Command("evaluate", "Measure a trained model on labelled data: loss, accuracy, precision, recall, F1 and support per class, confusion matrix")
        {
            model, data, plot, json, seed, delimiter, skipBadImages,
        };
        command.SetAction(parseResult =>
        {
            string modelPath = parseResult.GetRequiredValue(model);
            string? dataPath = parseResult.GetValue(data), plotPath = parseResult.GetValue(plot);
            OutputPaths.Check([FileRole.Of("--model", modelPath), FileRole.Of("--data", dataPath)], [FileRole.Of("--plot", plotPath)]);
            var (network, info) = ModelStore.Load(modelPath);
            if (info.Preprocessor is { } table)
                return TableEvaluation.Run(network, info, table, dataPath, parseResult.GetValue(delimiter), plotPath,
                    parseResult.GetValue(json), parseResult.InvocationConfiguration.Output, parseResult.InvocationConfiguration.Error, modelPath);
            if (!string.IsNullOrEmpty(plotPath)) ConfusionPlot.RequireDrawable(info.ClassNames.Count);
            var examples = DataSource.ForEvaluation(dataPath, info, null, parseResult.GetValue(skipBadImages), parseResult.InvocationConfiguration.Error);
            Loss loss = info.Loss == "mse" ? new MseLoss() : new CrossEntropyLoss();
            var evaluation = network.Evaluate(examples, loss);
            if (!string.IsNullOrEmpty(plotPath)) ConfusionPlot.Save(evaluation.Confusion!, info.ClassNames, plotPath);

            var output = parseResult.InvocationConfiguration.Output;
            if (parseResult.GetValue(json)) JsonOutput.Write(output, EvaluationReport.Json(evaluation, info));
            else EvaluationReport.Render(Terminal.For(output), evaluation, info, modelPath);
            return ExitCode.Ok;
        });
        return command;
    }
}
