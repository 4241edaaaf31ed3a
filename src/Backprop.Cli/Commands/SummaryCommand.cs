using System.CommandLine;
using Backprop.Cli.Files;
using Backprop.Cli.Output;
using Backprop.IO;
using Backprop.NN;

namespace Backprop.Cli.Commands;

/// <summary>
/// <c>backprop summary</c>: a model file's layers, output shapes and parameter counts, as Keras's <c>model.summary()</c>.
/// The input shape is <c>--input-shape</c> when given, else the file's <see cref="ModelDescription"/>'s, else the first layer's.
/// </summary>
internal static class SummaryCommand
{
    public static Command Create()
    {
        var model = ModelOptions.Model();
        var inputShape = new Option<int[]?>("--input-shape")
        {
            Description = "One example's shape without the batch axis, comma-separated, for a file that does not record it (default: the file's)",
            HelpName = "1,28,28",
            CustomParser = OptionValues.PositiveIntegers("--input-shape", "1,28,28", 0),
        };
        var json = CommonOptions.Json();
        var command = new Command("summary", "Show a model file's layers: output shapes, parameters (trainable or not), totals, and the memory of its weights and of one example's activations")
        {
            model, inputShape, json,
        };
        command.SetAction(parseResult =>
        {
            string path = parseResult.GetRequiredValue(model);
            OutputPaths.Check([FileRole.Of("--model", path)], []);
            if (!File.Exists(path)) throw new FileNotFoundException($"{path}: no such model file (train one with backprop train --out {path}).", path);
            // Read once: the weights and the recorded input shape come from the same bytes.
            var file = SafeTensorsReader.Read(path);
            var network = Model.Load(file, path);
            // An array option not given reads as empty, not null.
            int[] shape = (parseResult.GetValue(inputShape) is { Length: > 0 } given ? given : null)
                ?? ModelStore.RecordedInputShape(file, path)?.ToArray()
                ?? OnnxExporter.InputShapeOf([network]).Dimensions
                ?? throw new ArgumentException($"{path}: the file does not record its input shape and its first layer does not tell it; pass --input-shape (e.g. 1,28,28), or save the model with model.Save(path, new ModelDescription {{ InputShape = [...] }}).");
            var summary = network.Summary(shape);

            var output = parseResult.InvocationConfiguration.Output;
            if (parseResult.GetValue(json)) JsonOutput.Write(output, Json(path, summary));
            else
            {
                output.WriteLine($"{path}");
                output.WriteLine(summary.ToString());
            }
            return ExitCode.Ok;
        });
        return command;
    }

    /// <summary>Shapes without the batch axis, as the model file's input_shape.</summary>
    private static object Json(string path, ModelSummary summary) => new
    {
        model = path,
        input_shape = summary.InputShape,
        layers = summary.Layers.Select(layer => new
        {
            name = layer.Name,
            type = layer.Type,
            output_shape = layer.OutputShape,
            parameters = layer.Parameters,
            trainable_parameters = layer.TrainableParameters,
        }),
        total_parameters = summary.TotalParameters,
        trainable_parameters = summary.TrainableParameters,
        weight_bytes = summary.WeightBytes,
        activation_bytes_per_example = summary.ActivationBytesPerExample,
    };
}
