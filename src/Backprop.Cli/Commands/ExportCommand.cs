using System.CommandLine;
using Backprop.Cli.Files;
using Backprop.Cli.Output;
using Backprop.IO;

namespace Backprop.Cli.Commands;

/// <summary><c>backprop export</c>: write a trained model as an ONNX file for other runtimes.</summary>
internal static class ExportCommand
{
    public static Command Create()
    {
        var model = ModelOptions.Model();
        var onnx = new Option<string>("--onnx")
        {
            Description = "The ONNX file to write (opset 13 or newer; input \"input\" [batch, …], output \"output\" [batch, classes]: logits, or scores for an mse model)",
            Required = true,
            HelpName = "path",
        };
        var json = CommonOptions.Json();
        var seed = CommonOptions.Seed("accepted for uniformity; export has nothing random");
        var command = new Command("export", "Export a trained model to ONNX, for ONNX Runtime and other tools; the batch dimension is symbolic")
        {
            model, onnx, json, seed,
        };
        command.SetAction(parseResult =>
        {
            string modelPath = parseResult.GetRequiredValue(model), onnxPath = parseResult.GetRequiredValue(onnx);
            OutputPaths.Check([FileRole.Of("--model", modelPath)], [FileRole.Of("--onnx", onnxPath)]);
            var (network, info) = ModelStore.Load(modelPath);
            if (info.Preprocessor is { } table) return TableExport.Run(network, info, table, modelPath, onnxPath, parseResult.GetValue(json), parseResult.InvocationConfiguration.Output);
            int[] inputShape = [.. info.InputShape];
            network.ExportOnnx(onnxPath, inputShape, info.ToDescription());

            var output = parseResult.InvocationConfiguration.Output;
            string shape = $"[batch, {string.Join(", ", inputShape)}]";
            if (parseResult.GetValue(json))
                JsonOutput.Write(output, new { model = modelPath, onnx = onnxPath, input = "input", input_shape = inputShape, output = "output", classes = info.ClassNames });
            else
                output.WriteLine($"Wrote {onnxPath}: input \"input\" {shape}, output \"output\" [batch, {info.ClassNames.Count}] for classes {string.Join(", ", info.ClassNames)}");
            return ExitCode.Ok;
        });
        return command;
    }
}
