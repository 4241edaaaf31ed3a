using System.CommandLine;
using Backprop.Cli.Output;
using Backprop.Cli.Rendering;
using Backprop.Cli.Training;

namespace Backprop.Cli.Commands;

/// <summary>
/// <c>backprop train</c>: fit a multilayer perceptron or a small convolutional network to MNIST (embedded by
/// default) or an MLP to a CSV file. The defaults are the settings measured best on the embedded subset over seeds 0–3.
/// </summary>
internal static class TrainCommand
{
    public const int DefaultEpochs = 10;

    public const string MlpOptimizer = "nesterov";

    public const string CnnOptimizer = "momentum";

    public const string MlpSchedule = "cosine";

    /// <summary>
    /// A warm-up: the first epoch at a tenth of the rate (the schedule steps once per epoch, so the linear warm-up of one
    /// epoch is this single step), then a cosine (Goyal et al. 2017; He et al. 2016 start ResNet-110 at a
    /// tenth of its rate for the same reason): the first steps from random weights are the largest and least reliable,
    /// most of all on an image folder, whose inputs are normalised to unit variance (the first convolution's effective
    /// step is ~10 times that on pixels in [0, 1]). On MNIST it takes the folder from 97.975% to 98.425% (median of
    /// seeds 0–3) at the optimiser's own rate, and the IDX files from 98.125% to 98.25% (docs/performance.md, Image folders).
    /// </summary>
    public const string CnnSchedule = "warmup-cosine";

    public const int MlpBatchSize = 16;

    public const int CnnBatchSize = 64;

    public const double MlpDropout = 0.2;

    public const double CnnDropout = 0.25;

    public static readonly int[] MlpHidden = [256];

    public static readonly int[] CnnChannels = [16, 32];

    public static Command Create()
    {
        var options = new TrainOptions();
        var command = new Command("train", "Train a network (default: an MLP 784-256-10 with ReLU and dropout on the embedded MNIST subset; --arch cnn for a "
            + "convolutional one), showing progress, then write the model and a plot of the loss and accuracy curves. Ctrl+C stops after the current step and "
            + "writes the last completed epoch's model (exit 130); a loss that is not a number stops training without writing the model (exit 3)");
        options.AddTo(command);
        command.SetAction(parseResult =>
        {
            var settings = options.Settings(parseResult);
            var writer = parseResult.InvocationConfiguration.Output;
            TrainingReporter reporter = settings.Quiet ? new TrainingReporter()
                : settings.Json ? new JsonTrainingReporter(writer)
                : new ConsoleTrainingReporter(Terminal.For(writer));
            return TrainingSession.Run(settings, reporter, parseResult.InvocationConfiguration.Error, Interrupts.StopGracefully);
        });
        return command;
    }
}
