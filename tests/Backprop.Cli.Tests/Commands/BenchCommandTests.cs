using System.Text.Json;

namespace Backprop.Cli.Tests.Commands;

public sealed class BenchCommandTests
{
    [Fact]
    public void Json_StepLatency_PrintsOneLineWithTheReferenceFieldsAndTheTextbookError()
    {
        var run = CliRun.InProcess("bench", "--only", "step_latency", "--json", "--threads", "1");
        Assert.Equal(0, run.ExitCode);
        var line = Assert.Single(run.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        using var json = JsonDocument.Parse(line);
        Assert.Equal("step_latency", json.RootElement.GetProperty("name").GetString());
        Assert.True(json.RootElement.GetProperty("us_per_step").GetDouble() > 0);
        Assert.Equal(1, json.RootElement.GetProperty("threads").GetInt32());
        // Mazur's worked example quotes a total error of 0.0000351085 after 10,000 steps; float32 gives 3.51e-5.
        Assert.Equal(3.51e-5, json.RootElement.GetProperty("error_after_steps").GetDouble(), 7);
    }

    [Fact]
    public void Only_WithAnUnknownWorkload_IsAParseErrorNamingIt()
    {
        var run = CliRun.InProcess("bench", "--only", "gemm,warp");
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("'warp'", run.Error);
    }

    [Fact]
    public void Json_CnnTrain_TrainsTheReferenceCnnForTwoEpochs()
    {
        var run = CliRun.InProcess("bench", "--only", "cnn_train", "--json");
        Assert.Equal(0, run.ExitCode);
        using var json = JsonDocument.Parse(Assert.Single(run.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries)));
        Assert.Equal("cnn_train", json.RootElement.GetProperty("name").GetString());
        Assert.True(json.RootElement.GetProperty("samples_per_s").GetDouble() > 0);
        // The libtorch reference reaches 94.2% with these settings on this subset; two epochs of any sound CNN pass 90%.
        Assert.True(json.RootElement.GetProperty("test_accuracy").GetDouble() > 0.9);
    }

    [Fact]
    public void Json_LstmTrain_ReportsTokensPerSecond()
    {
        var run = CliRun.InProcess("bench", "--only", "lstm_train", "--json");
        Assert.Equal(0, run.ExitCode);
        using var json = JsonDocument.Parse(Assert.Single(run.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries)));
        Assert.True(json.RootElement.GetProperty("tokens_per_s").GetDouble() > 0);
    }

    [Fact]
    public void Json_InferLatency_PrintsOneLinePerModelWithTheReferenceFields()
    {
        var run = CliRun.InProcess("bench", "--only", "infer_latency", "--json", "--threads", "1");
        Assert.Equal(0, run.ExitCode);
        var lines = run.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        // The ONNX Runtime reference's two networks; with --threads 1 there is no two-thread line.
        Assert.Equal(["784-128-10", "784-512-256-10"], lines.Select(line => JsonDocument.Parse(line).RootElement.GetProperty("model").GetString()!).ToArray());
        foreach (var line in lines)
        {
            using var json = JsonDocument.Parse(line);
            Assert.Equal("infer_latency", json.RootElement.GetProperty("name").GetString());
            Assert.Equal(1, json.RootElement.GetProperty("batch").GetInt32());
            Assert.Equal(1, json.RootElement.GetProperty("threads").GetInt32());
            Assert.True(json.RootElement.GetProperty("median_us").GetDouble() > 0);
            // The 10th percentile of the sorted call times lies between the fastest call and the median.
            Assert.InRange(json.RootElement.GetProperty("p10_us").GetDouble(), 0, json.RootElement.GetProperty("median_us").GetDouble());
            Assert.True(json.RootElement.GetProperty("samples_per_s").GetDouble() > 0);
            // Predict into a tensor allocated once allocates at most a kilobyte per call (issue 16's budget).
            Assert.InRange(json.RootElement.GetProperty("alloc_bytes_per_call").GetDouble(), 0, 1024);
        }
    }
}
