using System.CommandLine;
using System.Globalization;
using System.Text.Json.Serialization;
using System.Text.Json;
using Backprop.Cli.Benchmarking;
using Backprop.Cli.Data;
using Backprop.Cli.Output;
using Backprop.Data;
using Backprop.Training;
using Spectre.Console;

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
        var only = new Option<string[]>("--only")
        {
            Description = $"Run only these workloads, comma-separated: {string.Join(", ", Workloads.Names)}",
            CustomParser = result => ParseOnly(result),
            HelpName = "a,b",
        };
        var threads = new Option<int?>("--threads")
        {
            Description = "Threads for the compute kernels (default: all cores)",
            CustomParser = result => OptionValues.IntAtLeast("--threads", 1)(result),
            HelpName = "N",
        };
        var dataFolder = new Option<string?>("--data")
        {
            Description = "Folder of the MNIST 10k subset in IDX files (default: the copy built into the tool)",
            HelpName = "folder",
        };
        var json = CommonOptions.Json();
        var seed = CommonOptions.Seed("initial weights, shuffling and random matrices (default 1, the libtorch reference's torch.manual_seed)");
        var command = new Command("bench", "Measure training and inference speed on the workloads of the libtorch reference benchmark "
            + "(MLPs on MNIST 10k, GEMM, 2-2-2 step latency), and inference on the workloads of the ONNX Runtime reference")
        {
            only, threads, dataFolder, json, seed,
        };
        command.SetAction(parseResult =>
        {
            var wanted = parseResult.GetValue(only) is { Length: > 0 } chosen ? chosen : Workloads.Names;
            int original = Threads.Count;
            if (parseResult.GetValue(threads) is int count) Threads.Count = count;
            try
            {
                string? folder = parseResult.GetValue(dataFolder);
                var workloads = new Workloads(folder is null ? EmbeddedMnist.Load() : MnistFolder.Load(folder), parseResult.GetValue(seed) ?? 1);
                var output = parseResult.InvocationConfiguration.Output;
                var results = new List<BenchResult>();
                // Main started the warm-up; the same task. Training workloads do not wait for it: their first epoch
                // carries whatever compiling is left. The others time calls after warm-up calls of their own, and a
                // compile still running on the other core would only disturb them (bench --only gemm: N=256 at
                // 53-65 GFLOP/s while it ran, against ~190).
                var warming = Warmup.Start();
                foreach (var name in Workloads.Names.Where(wanted.Contains))
                {
                    if (!Workloads.TimesFirstEpoch(name)) warming.Wait();
                    foreach (var result in workloads.Run(name))
                    {
                        results.Add(result);
                        if (parseResult.GetValue(json))
                        {
                            output.WriteLine(JsonSerializer.Serialize(result, JsonLine));
                            output.Flush();
                        }
                    }
                }
                if (!parseResult.GetValue(json)) Render(Terminal.For(output), results);
                return ExitCode.Ok;
            }
            finally
            {
                Threads.Count = original;
            }
        });
        return command;
    }

    private static string[] ParseOnly(System.CommandLine.Parsing.ArgumentResult result)
    {
        var names = result.Tokens.SelectMany(t => t.Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToArray();
        var unknown = names.Where(n => !Workloads.Names.Contains(n)).ToArray();
        if (unknown.Length > 0)
            result.AddError($"--only must name workloads among {string.Join(", ", Workloads.Names)}, got '{string.Join(", ", unknown)}'.");
        return names;
    }

    private static void Render(IAnsiConsole console, IReadOnlyList<BenchResult> results)
    {
        var table = new Table().AddColumns("workload", "result", "details");
        foreach (var r in results)
        {
            var (headline, details) = r.Name switch
            {
                "gemm" => (F($"{r.Gflops:F1} GFLOP/s"), F($"N = {r.N}, median {r.MedianMs:F3} ms")),
                "step_latency" => (F($"{r.UsPerStep:F3} µs/step"), F($"biases trained {r.UsPerStepBiasesTrained:F3} µs, error after 10,000 steps {r.ErrorAfterSteps:G6}")),
                "infer_latency" => (F($"{r.MedianUs:F2} µs median"), F($"{r.Model}, one sample, {r.Threads} thread(s); p90 {r.P90Us:F2} µs, {r.AllocBytesPerCall:N0} B allocated/call")),
                "infer_batch" => (F($"{r.SamplesPerS:N0} samples/s"), F($"{r.Model}, batch {r.Batch}, {r.Threads} thread(s); median {r.MedianUs:F1} µs, {r.AllocBytesPerCall:N0} B allocated/call")),
                "lstm_train" => (F($"{r.TokensPerS:N0} tokens/s"), F($"batch 32, sequence 50, hidden 128; median step {r.MedianMs:F1} ms")),
                _ => (F($"{r.SamplesPerS:N0} samples/s"),
                      F($"test accuracy {r.TestAccuracy:P1}, final loss {r.FinalTrainLoss:F4}, peak RSS {r.PeakRssMb:F0} MB, {r.AllocBytesPerStep:N0} B allocated/step")),
            };
            table.AddRow(Markup.Escape(r.Name), Markup.Escape(headline), Markup.Escape(details));
        }
        console.Write(table);
        console.WriteLine($"threads: {Threads.Count}");
    }

    private static string F(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
