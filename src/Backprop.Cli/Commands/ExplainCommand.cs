using System.CommandLine;
using Backprop.Cli.Output;
using Backprop.Cli.Rendering;
using Backprop.Cli.Explain;

namespace Backprop.Cli.Commands;

/// <summary><c>backprop explain</c>: one training step of a worked example, every number of the chain rule shown.</summary>
internal static class ExplainCommand
{
    private static readonly Dictionary<string, Func<WorkedNetwork>> Examples = new()
    {
        ["2-2-2"] = WorkedNetwork.ClassicTutorial,
        ["2-2-1"] = WorkedNetwork.TwoTwoOne,
    };

    public static Command Create()
    {
        var example = new Option<string>("--example")
        {
            Description = "The worked example: 2-2-2 (the classic tutorial, biases fixed) or 2-2-1 (MSE, biases trained)",
            DefaultValueFactory = _ => "2-2-2",
            CustomParser = OptionValues.OneOf("--example", Examples.Keys),
            HelpName = "name",
        };
        var steps = new Option<int>("--steps")
        {
            Description = "Then keep training by gradient descent until N updates are made (the explained one counts) and show the error",
            CustomParser = OptionValues.IntAtLeast("--steps", 0),
            HelpName = "N",
        };
        var learningRate = new Option<double?>("--lr")
        {
            Description = "Learning rate η (default: the example's: .5 for 2-2-2, .1 for 2-2-1)",
            CustomParser = OptionValues.PositiveNumber("--lr"),
            HelpName = "rate",
        };
        var trainBiases = new Option<bool>("--train-biases") { Description = "Also update the biases, per neuron as a Dense layer does (2-2-1 always does)" };
        var json = CommonOptions.Json();
        var seed = CommonOptions.Seed("accepted for uniformity; explain has nothing random");

        var command = new Command("explain", "Walk one training step of backpropagation on a small sigmoid network: "
            + "forward pass, error, every weight's gradient as its chain of factors, updated weights")
        {
            example, steps, learningRate, trainBiases, json, seed,
        };
        command.SetAction(parseResult =>
        {
            var network = Examples[parseResult.GetRequiredValue(example)]();
            var trace = ExplainTrace.Record(network, new ExplainOptions(parseResult.GetValue(learningRate),
                parseResult.GetValue(trainBiases), parseResult.GetValue(steps)));
            var output = parseResult.InvocationConfiguration.Output;
            if (parseResult.GetValue(json)) JsonOutput.Write(output, trace);
            else ExplainTables.Render(Terminal.For(output), trace);
            return ExitCode.Ok;
        });
        return command;
    }
}
