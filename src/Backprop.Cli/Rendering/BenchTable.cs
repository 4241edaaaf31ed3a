using System.Globalization;
using Backprop.Cli.Benchmarking;
using Spectre.Console;

namespace Backprop.Cli.Rendering;

/// <summary>How <c>backprop bench</c> shows its results to people: one row per result, its headline figure first.</summary>
internal static class BenchTable
{
    public static void Render(IAnsiConsole console, IReadOnlyList<BenchResult> results)
    {
        var table = new Table().AddColumns("workload", "result", "details");
        foreach (var r in results)
        {
            var (headline, details) = r.Name switch
            {
                "gemm" => (F($"{r.Gflops:F1} GFLOP/s"), F($"N = {r.N}, median {r.MedianMs:F3} ms")),
                "step_latency" => (F($"{r.UsPerStep:F3} µs/step"), F($"biases trained {r.UsPerStepBiasesTrained:F3} µs, error after 10,000 steps {r.ErrorAfterSteps:G6}")),
                "infer_latency" => (F($"{r.MedianUs:F2} µs median"), F($"{r.Model}, one sample, {r.Threads} thread(s); p10 {r.P10Us:F2}, p90 {r.P90Us:F2} µs, {r.AllocBytesPerCall:N0} B allocated/call")),
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
