namespace Backprop.Cli.Benchmarking;

/// <summary>
/// The workloads of <c>backprop bench</c>: the libtorch reference benchmark's, in its order (infer_latency on the ONNX
/// Runtime reference's models), then infer_batch from the ONNX Runtime reference and lstm_train.
/// </summary>
internal static class Workloads
{
    private static readonly Workload[] All =
    [
        new MlpTraining("mlp_train", [784, 128, 10], batch: 64, epochs: 5),
        new MlpTraining("mlp_train_big", [784, 512, 256, 10], batch: 128, epochs: 3),
        new CnnTraining(),
        new GemmThroughput(),
        new StepLatency(),
        new InferenceLatency(),
        new InferenceBatch(),
        new LstmTraining(),
    ];

    /// <summary>The names, in the order the reference runs them.</summary>
    public static readonly string[] Names = [.. All.Select(workload => workload.Name)];

    /// <summary>The workloads named in <paramref name="wanted"/>, in the reference's order.</summary>
    public static IEnumerable<Workload> InRunOrder(IReadOnlyCollection<string> wanted) => All.Where(workload => wanted.Contains(workload.Name));
}
