using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Serialization;
using Backprop.Cli.Benchmarking;
using Backprop.Cli.Data;
using Backprop.Cli.Output;
using Backprop.Cli.Rendering;
using Backprop.Data;
using Backprop.Training;

namespace Backprop.Cli.Commands;

/// <summary>
/// <c>backprop bench</c>: the workloads of the libtorch reference benchmark, with the same settings, as a table
/// or (<c>--json</c>) one JSON line per measurement with the reference's names and fields.
/// </summary>
internal static class BenchCommand
{
    private static readonly JsonSerializerOptions JsonLine = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public static Command Create()
    {
        var options = new BenchOptions();
        var command = new Command("bench", "Measure training and inference speed on the workloads of the libtorch reference benchmark "
            + "(MLPs on MNIST 10k, GEMM, 2-2-2 step latency), and inference on the workloads of the ONNX Runtime reference");
        options.AddTo(command);
        command.SetAction(parseResult => Run(options.Settings(parseResult), parseResult.InvocationConfiguration.Output));
        return command;
    }

    private static int Run(BenchSettings settings, TextWriter output)
    {
        int original = Threads.Count;
        if (settings.Threads is int count) Threads.Count = count;
        try
        {
            var context = new WorkloadContext(settings.DataFolder is null ? EmbeddedMnist.Load() : MnistFolder.Load(settings.DataFolder), settings.Seed);
            var results = new List<BenchResult>();
            // Main started the warm-up; the same task. Training workloads do not wait for it: their first epoch carries
            // whatever compiling is left. The others time calls after warm-up calls of their own, and a compile still
            // running on another core would only disturb them.
            var warming = Warmup.Start();
            foreach (var workload in Workloads.InRunOrder(settings.Workloads))
            {
                if (!workload.TimesFirstEpoch) warming.Wait();
                foreach (var result in workload.Run(context))
                {
                    results.Add(result);
                    if (settings.Json)
                    {
                        output.WriteLine(JsonSerializer.Serialize(result, JsonLine));
                        output.Flush();
                    }
                }
            }
            if (!settings.Json) BenchTable.Render(Terminal.For(output), results);
            return ExitCode.Ok;
        }
        finally
        {
            Threads.Count = original;
        }
    }
}
