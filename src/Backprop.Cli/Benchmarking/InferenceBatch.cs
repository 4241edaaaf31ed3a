namespace Backprop.Cli.Benchmarking;

/// <summary>infer_batch: batches of 64 and 1000, every call timed for at least a second, as the reference times its batches.</summary>
internal sealed class InferenceBatch() : InferenceWorkload("infer_batch", batches: [64, 1000], timedCalls: 10, minimumTime: TimeSpan.FromSeconds(1));
