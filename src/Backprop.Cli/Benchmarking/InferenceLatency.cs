namespace Backprop.Cli.Benchmarking;

/// <summary>infer_latency: one sample per call, median of 10,000 timed calls after the reference's 1,000 warm-ups.</summary>
internal sealed class InferenceLatency() : InferenceWorkload("infer_latency", batches: [1], timedCalls: 10_000, minimumTime: TimeSpan.Zero);
