using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using Backprop.Cli.Models;
using Backprop.Cli.Training;

namespace Backprop.Cli.Commands;

/// <summary>
/// The options of <c>backprop train</c> and how they become <see cref="TrainSettings"/>. Options whose best value
/// depends on the architecture (hidden widths, optimiser, batch size, dropout) are null when not given and take
/// <see cref="TrainCommand"/>'s defaults for <c>--arch</c>.
/// </summary>
internal sealed class TrainOptions
{
    private readonly Option<string?> _data = new("--data") { Description = "An MNIST folder of IDX files (plain or .gz), an image folder (root/<class>/<image>, optional train/ and test/ or val/), or a CSV file with a header row (default: the embedded MNIST 10k subset)", HelpName = "path" };
    private readonly Option<string?> _label = new("--label") { Description = "The CSV label column, by name or 0-based index (default: the last column)", HelpName = "column" };
    private readonly Option<string> _architecture = Choice("--arch", "Network: mlp (Dense layers) or cnn (3×3 conv+activation+2×2 max-pool blocks, then Dense sized from the images; images only)", ["mlp", "cnn"], "name");
    private readonly Option<int[]?> _hidden = Sizes("--hidden", $"Widths of the hidden Dense layers, comma-separated (default: {Join(TrainCommand.MlpHidden)} for mlp, none for cnn)", "128,64", 0);
    private readonly Option<int[]?> _channels = Sizes("--channels", $"Output channels of the cnn's convolutions, one block each, 1 to 4 blocks (default: {Join(TrainCommand.CnnChannels)})", "16,32", 4);
    private readonly Option<string> _activation = Choice("--activation", "Activation after each hidden layer", [.. Layers.Activations.Keys], "name");
    private readonly Option<string> _init = Choice("--init", "Weight initialisation: auto (he for the ReLU family, pytorch for sigmoid and tanh), he (Kaiming, gain √2), xavier (Glorot), or pytorch (U(±1/√fan-in))", Layers.Inits, "name");
    private readonly Option<double?> _dropout = new("--dropout") { Description = $"Dropout probability before each Dense layer that takes learned features, in [0, 1) (default: {TrainCommand.MlpDropout.ToString(CultureInfo.InvariantCulture)} for mlp, {TrainCommand.CnnDropout.ToString(CultureInfo.InvariantCulture)} for cnn)", CustomParser = Probability, HelpName = "p" };
    private readonly Option<bool> _batchNorm = new("--batch-norm") { Description = "Batch normalisation after each hidden Dense and Conv2d layer, before its activation" };
    private readonly Option<string> _loss = Choice("--loss", "Loss: auto (cross-entropy for classes, mse for regression), cross-entropy (softmax over the outputs), mse (against one-hot targets, or the regression target), mae or huber (regression, δ = 1 standard deviation of the target)", ["auto", "cross-entropy", "mse", "mae", "huber"], "name");
    private readonly TableArguments _table = new();
    private readonly Option<string?> _optimizer = new("--optimizer")
    {
        Description = $"Optimiser and its default learning rate: {OptimizerChoice.Describe()}; nesterov and momentum are SGD with (Nesterov) momentum 0.9 "
            + $"({string.Join("|", OptimizerChoice.Names)}; default: {TrainCommand.MlpOptimizer} for mlp, {TrainCommand.CnnOptimizer} for cnn, {TrainSettings.RegressionOptimizer} for regression)",
        CustomParser = result => result.Tokens.Count == 0 ? null : OptionValues.OneOf("--optimizer", OptimizerChoice.Names)(result),
        HelpName = "name",
    };
    private readonly Option<double?> _learningRate = new("--lr") { Description = "Initial learning rate (default: the optimiser's; a fifth of it for sgd, momentum and nesterov when an mlp trains on an image folder, whose inputs are normalised)", CustomParser = OptionValues.PositiveNumber("--lr"), HelpName = "rate" };
    private readonly Option<double?> _weightDecay = new("--weight-decay") { Description = "Weight decay λ ≥ 0: L2 (λw added to the gradient), or decoupled for adamw (default: 0; adamw 0.01)", CustomParser = OptionValues.NonNegativeNumber("--weight-decay"), HelpName = "λ" };
    private readonly Option<double?> _clipNorm = new("--clip-norm") { Description = "Clip the gradients of each step to this joint L2 norm (default: no clipping)", CustomParser = OptionValues.PositiveNumber("--clip-norm"), HelpName = "N" };
    private readonly Option<string?> _schedule = new("--schedule")
    {
        Description = "Learning rate over the epochs: " + string.Join("; ", ScheduleChoice.Descriptions.Select(pair => $"{pair.Key}: {pair.Value}"))
            + $" ({string.Join("|", ScheduleChoice.Descriptions.Keys)}; default: {TrainCommand.MlpSchedule} for mlp, {TrainCommand.CnnSchedule} for cnn)",
        CustomParser = result => result.Tokens.Count == 0 ? null : OptionValues.OneOf("--schedule", [.. ScheduleChoice.Descriptions.Keys])(result),
        HelpName = "name",
    };
    private readonly Option<int> _epochs = new("--epochs") { Description = "Most epochs to train (with --resume: in total, counting the checkpoint's)", CustomParser = OptionValues.IntAtLeast("--epochs", 1), DefaultValueFactory = _ => TrainCommand.DefaultEpochs, HelpName = "N" };
    private readonly Option<int?> _batchSize = new("--batch-size") { Description = $"Examples per mini-batch (default: {TrainCommand.MlpBatchSize} for mlp, {TrainCommand.CnnBatchSize} for cnn)", CustomParser = NullableIntAtLeast("--batch-size", 1), HelpName = "N" };
    private readonly Option<int?> _seed = CommonOptions.Seed("initial weights, dropout, shuffling and validation split (default 0); the same seed gives the same losses");
    private readonly Option<double?> _validationSplit = new("--validation-split")
    {
        Description = "Fraction of the training data held out for validation, stratified by class (default: 0.2 for CSV; MNIST validates on its test set)",
        CustomParser = Fraction,
        HelpName = "fraction",
    };
    private readonly Option<int?> _limit = new("--limit") { Description = "Train on the first N training examples only (quick trials)", CustomParser = NullableIntAtLeast("--limit", 1), HelpName = "N" };
    private readonly Option<bool> _allCorrect = new("--stop-when-all-correct") { Description = "Stop once every training example is classified correctly" };
    private readonly Option<double?> _targetLoss = new("--target-loss") { Description = "Stop once the epoch's training loss is below this", CustomParser = OptionValues.PositiveNumber("--target-loss"), HelpName = "loss" };
    private readonly Option<int?> _patience = new("--patience") { Description = "Stop when the validation loss has not improved for N epochs, keeping the best epoch's weights", CustomParser = NullableIntAtLeast("--patience", 1), HelpName = "N" };
    private readonly Option<string?> _checkpointDirectory = new("--checkpoint-dir") { Description = "Save checkpoints here (model, optimiser state, epoch): last.safetensors after every epoch, best.safetensors at the lowest validation loss", HelpName = "folder" };
    private readonly Option<string?> _resume = new("--resume") { Description = "Continue from a checkpoint written with --checkpoint-dir, with the same options; --epochs counts the checkpoint's epochs", HelpName = "path" };
    private readonly Option<string> _output = new("--out") { Description = "The model file to write", DefaultValueFactory = _ => "model.safetensors", HelpName = "path" };
    private readonly Option<string> _plot = new("--plot") { Description = "The PNG of the loss and accuracy curves to write; \"\" for none", DefaultValueFactory = _ => "training.png", HelpName = "path" };
    private readonly Option<bool> _noPlot = new("--no-plot") { Description = "Write no plot (as --plot \"\")" };
    private readonly Option<bool> _diagnose = new("--diagnose") { Description = "After each epoch, show the gradient flow per layer and warn when gradients vanish or explode" };
    private readonly Option<bool> _json = new("--json") { Description = "Print one JSON object per epoch, then a summary object, and nothing else" };
    private readonly Option<bool> _quiet = new("--quiet") { Description = "Print nothing; only write the files" };
    private readonly ImageOptions _images = new();

    /// <summary>Adds every option to <paramref name="command"/>, with the checks that involve several options.</summary>
    public void AddTo(Command command)
    {
        Option[] all =
        [
            _data, _label, _architecture, _hidden, _channels, _activation, _init, _dropout, _batchNorm, _loss, _optimizer, _learningRate,
            _weightDecay, _clipNorm, _schedule, _epochs, _batchSize, _seed, _validationSplit, _limit, _allCorrect, _targetLoss, _patience,
            _checkpointDirectory, _resume, _output, _plot, _noPlot, _diagnose, _json, _quiet,
        ];
        foreach (var option in all) command.Options.Add(option);
        _table.AddTo(command);
        _images.AddTo(command);
        command.Validators.Add(result =>
        {
            // Read from the tokens: a bad --arch value has its own error, and GetValue would throw it here.
            bool cnn = result.GetResult(_architecture) is { Tokens: [.., { Value: "cnn" }] };
            if (!cnn && result.GetResult(_channels) is not null)
                result.AddError("--channels applies to --arch cnn only.");
        });
    }

    public TrainSettings Settings(ParseResult parseResult)
    {
        bool cnn = parseResult.GetRequiredValue(_architecture) == "cnn";
        string plotPath = parseResult.GetRequiredValue(_plot);
        return new TrainSettings
        {
            Data = parseResult.GetValue(_data),
            Architecture = cnn ? "cnn" : "mlp",
            Hidden = Given(parseResult.GetValue(_hidden)) ?? (cnn ? [] : TrainCommand.MlpHidden),
            Channels = Given(parseResult.GetValue(_channels)) ?? TrainCommand.CnnChannels,
            Layers = new Layers(parseResult.GetRequiredValue(_activation), parseResult.GetRequiredValue(_init),
                parseResult.GetValue(_dropout) ?? (cnn ? TrainCommand.CnnDropout : TrainCommand.MlpDropout), parseResult.GetValue(_batchNorm)),
            Loss = parseResult.GetRequiredValue(_loss),
            Optimizer = parseResult.GetValue(_optimizer) ?? (cnn ? TrainCommand.CnnOptimizer : TrainCommand.MlpOptimizer),
            OptimizerGiven = parseResult.GetValue(_optimizer) is not null,
            LearningRate = parseResult.GetValue(_learningRate),
            WeightDecay = parseResult.GetValue(_weightDecay),
            ClipNorm = parseResult.GetValue(_clipNorm),
            Schedule = parseResult.GetValue(_schedule) ?? (cnn ? TrainCommand.CnnSchedule : TrainCommand.MlpSchedule),
            Epochs = parseResult.GetValue(_epochs),
            BatchSize = parseResult.GetValue(_batchSize) ?? (cnn ? TrainCommand.CnnBatchSize : TrainCommand.MlpBatchSize),
            Seed = parseResult.GetValue(_seed) ?? 0,
            ValidationSplit = parseResult.GetValue(_validationSplit),
            Limit = parseResult.GetValue(_limit),
            Table = _table.Options(parseResult, parseResult.GetValue(_label), null),
            StopWhenAllCorrect = parseResult.GetValue(_allCorrect),
            TargetLoss = parseResult.GetValue(_targetLoss),
            Patience = parseResult.GetValue(_patience),
            CheckpointDirectory = parseResult.GetValue(_checkpointDirectory),
            ResumeFrom = parseResult.GetValue(_resume),
            ModelPath = parseResult.GetRequiredValue(_output),
            PlotPath = parseResult.GetValue(_noPlot) || plotPath.Length == 0 ? null : plotPath,
            Diagnose = parseResult.GetValue(_diagnose),
            Json = parseResult.GetValue(_json),
            Quiet = parseResult.GetValue(_quiet),
            Images = _images.Settings(parseResult),
        };
    }

    /// <summary>The parser reports an absent list option as empty rather than null.</summary>
    private static int[]? Given(int[]? sizes) => sizes is { Length: > 0 } ? sizes : null;

    private static string Join(IEnumerable<int> sizes) => string.Join(',', sizes);

    private static Option<string> Choice(string name, string description, IReadOnlyCollection<string> choices, string helpName) => new(name)
    {
        Description = $"{description} ({string.Join("|", choices)})",
        CustomParser = OptionValues.OneOf(name, choices),
        DefaultValueFactory = _ => choices.First(),
        HelpName = helpName,
    };

    /// <summary>Comma-separated sizes ≥ 1; at most <paramref name="most"/> of them (0 for no limit).</summary>
    private static Option<int[]?> Sizes(string name, string description, string example, int most) => new(name)
    {
        Description = description,
        HelpName = example,
        CustomParser = OptionValues.PositiveIntegers(name, example, most),
    };

    private static double? Fraction(ArgumentResult result)
    {
        if (result.Tokens.Count == 0) return null;
        string text = result.Tokens[^1].Value;
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) && value > 0 && value < 1) return value;
        result.AddError($"--validation-split must be a fraction strictly between 0 and 1, got '{text}'.");
        return null;
    }

    private static double? Probability(ArgumentResult result)
    {
        if (result.Tokens.Count == 0) return null;
        string text = result.Tokens[^1].Value;
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) && value >= 0 && value < 1) return value;
        result.AddError($"--dropout must be a probability in [0, 1), got '{text}'.");
        return null;
    }

    private static Func<ArgumentResult, int?> NullableIntAtLeast(string option, int minimum)
    {
        var parse = OptionValues.IntAtLeast(option, minimum);
        return result => result.Tokens.Count == 0 ? null : parse(result);
    }
}
