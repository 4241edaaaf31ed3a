using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using Backprop.Cli.Models;
using Backprop.Cli.Output;
using Backprop.Cli.Rendering;
using Backprop.Cli.Training;

namespace Backprop.Cli.Commands;

/// <summary><c>backprop train</c>: fit a multilayer perceptron to MNIST (embedded by default) or a CSV file.</summary>
internal static class TrainCommand
{
    public const int DefaultEpochs = 10;

    public const int DefaultBatchSize = 16;

    public static Command Create()
    {
        var data = new Option<string?>("--data") { Description = "An MNIST folder of IDX files (plain or .gz) or a CSV file with a header row (default: the embedded MNIST 10k subset)", HelpName = "path" };
        var label = new Option<string?>("--label") { Description = "The CSV label column, by name or 0-based index (default: the last column)", HelpName = "column" };
        var hidden = new Option<int[]>("--hidden")
        {
            Description = "Widths of the hidden layers, comma-separated",
            CustomParser = HiddenSizes,
            DefaultValueFactory = _ => [128],
            HelpName = "128,64",
        };
        var activation = Choice("--activation", "Activation between layers", [.. Mlp.Activations.Keys], "name");
        var loss = Choice("--loss", "Loss: cross-entropy (softmax over the outputs) or mse (against one-hot targets)", ["cross-entropy", "mse"], "name");
        var optimizer = Choice("--optimizer", $"Optimiser and its default learning rate: {OptimizerChoice.Describe()}; momentum is SGD with Nesterov momentum 0.9", OptimizerChoice.Names, "name");
        var learningRate = new Option<double?>("--lr") { Description = "Initial learning rate (default: the optimiser's)", CustomParser = OptionValues.PositiveNumber("--lr"), HelpName = "rate" };
        var schedule = Choice("--schedule", "Learning rate over the epochs: cosine (annealed from --lr towards 0 at the last epoch) or constant", ["cosine", "constant"], "name");
        var epochs = new Option<int>("--epochs") { Description = "Most epochs to train", CustomParser = OptionValues.IntAtLeast("--epochs", 1), DefaultValueFactory = _ => DefaultEpochs, HelpName = "N" };
        var batchSize = new Option<int>("--batch-size") { Description = "Examples per mini-batch", CustomParser = OptionValues.IntAtLeast("--batch-size", 1), DefaultValueFactory = _ => DefaultBatchSize, HelpName = "N" };
        var seed = CommonOptions.Seed("initial weights, shuffling and validation split (default 0); the same seed gives the same losses");
        var validationSplit = new Option<double?>("--validation-split")
        {
            Description = "Fraction of the training data held out for validation, stratified by class (default: 0.2 for CSV; MNIST validates on its test set)",
            CustomParser = Fraction,
            HelpName = "fraction",
        };
        var allCorrect = new Option<bool>("--stop-when-all-correct") { Description = "Stop once every training example is classified correctly" };
        var targetLoss = new Option<double?>("--target-loss") { Description = "Stop once the epoch's training loss is below this", CustomParser = OptionValues.PositiveNumber("--target-loss"), HelpName = "loss" };
        var patience = new Option<int?>("--patience") { Description = "Stop when the validation loss has not improved for N epochs, keeping the best epoch's weights", CustomParser = NullableIntAtLeast("--patience", 1), HelpName = "N" };
        var output = new Option<string>("--out") { Description = "The model file to write", DefaultValueFactory = _ => "model.safetensors", HelpName = "path" };
        var plot = new Option<string>("--plot") { Description = "The PNG of the loss and accuracy curves to write; \"\" for none", DefaultValueFactory = _ => "training.png", HelpName = "path" };
        var noPlot = new Option<bool>("--no-plot") { Description = "Write no plot (as --plot \"\")" };
        var diagnose = new Option<bool>("--diagnose") { Description = "After each epoch, show the gradient flow per layer and warn when gradients vanish or explode" };
        var json = new Option<bool>("--json") { Description = "Print one JSON object per epoch, then a summary object, and nothing else" };
        var quiet = new Option<bool>("--quiet") { Description = "Print nothing; only write the files" };

        var command = new Command("train", "Train a multilayer perceptron (default 784-128-10 ReLU on the embedded MNIST subset), "
            + "showing progress, then write the model and a plot of the loss and accuracy curves")
        {
            data, label, hidden, activation, loss, optimizer, learningRate, schedule, epochs, batchSize, seed, validationSplit,
            allCorrect, targetLoss, patience, output, plot, noPlot, diagnose, json, quiet,
        };
        command.SetAction(parseResult =>
        {
            string plotPath = parseResult.GetRequiredValue(plot);
            var settings = new TrainSettings
            {
                Data = parseResult.GetValue(data),
                Label = parseResult.GetValue(label),
                Hidden = parseResult.GetRequiredValue(hidden),
                Activation = parseResult.GetRequiredValue(activation),
                Loss = parseResult.GetRequiredValue(loss),
                Optimizer = parseResult.GetRequiredValue(optimizer),
                LearningRate = parseResult.GetValue(learningRate),
                CosineSchedule = parseResult.GetRequiredValue(schedule) == "cosine",
                Epochs = parseResult.GetValue(epochs),
                BatchSize = parseResult.GetValue(batchSize),
                Seed = parseResult.GetValue(seed) ?? 0,
                ValidationSplit = parseResult.GetValue(validationSplit),
                StopWhenAllCorrect = parseResult.GetValue(allCorrect),
                TargetLoss = parseResult.GetValue(targetLoss),
                Patience = parseResult.GetValue(patience),
                ModelPath = parseResult.GetRequiredValue(output),
                PlotPath = parseResult.GetValue(noPlot) || plotPath.Length == 0 ? null : plotPath,
                Diagnose = parseResult.GetValue(diagnose),
                Json = parseResult.GetValue(json),
                Quiet = parseResult.GetValue(quiet),
            };
            var writer = parseResult.InvocationConfiguration.Output;
            TrainingReporter reporter = settings.Quiet ? new TrainingReporter()
                : settings.Json ? new JsonTrainingReporter(writer)
                : new ConsoleTrainingReporter(Terminal.For(writer));
            TrainingSession.Run(settings, reporter);
            return ExitCode.Ok;
        });
        return command;
    }

    private static Option<string> Choice(string name, string description, IReadOnlyCollection<string> choices, string helpName) => new(name)
    {
        Description = $"{description} ({string.Join("|", choices)})",
        CustomParser = OptionValues.OneOf(name, choices),
        DefaultValueFactory = _ => choices.First(),
        HelpName = helpName,
    };

    private static int[] HiddenSizes(ArgumentResult result)
    {
        string text = result.Tokens.Count > 0 ? result.Tokens[^1].Value : "128";
        var parts = text.Split(',', StringSplitOptions.TrimEntries);
        var sizes = new int[parts.Length];
        for (int i = 0; i < parts.Length; i++)
        {
            if (!int.TryParse(parts[i], NumberStyles.Integer, CultureInfo.InvariantCulture, out sizes[i]) || sizes[i] < 1)
            {
                result.AddError($"--hidden must be comma-separated integers ≥ 1, such as 128,64, got '{text}'.");
                return [];
            }
        }
        return sizes;
    }

    private static double? Fraction(ArgumentResult result)
    {
        if (result.Tokens.Count == 0) return null;
        string text = result.Tokens[^1].Value;
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) && value > 0 && value < 1) return value;
        result.AddError($"--validation-split must be a fraction strictly between 0 and 1, got '{text}'.");
        return null;
    }

    private static Func<ArgumentResult, int?> NullableIntAtLeast(string option, int minimum)
    {
        var parse = OptionValues.IntAtLeast(option, minimum);
        return result => result.Tokens.Count == 0 ? null : parse(result);
    }
}
