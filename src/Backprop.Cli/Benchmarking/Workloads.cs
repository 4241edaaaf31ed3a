namespace Backprop.Cli.Benchmarking;

/// <summary>The workloads of <c>backprop bench</c>: the six of the libtorch reference benchmark, in its order, then lstm_train.</summary>
internal static class Workloads
{
    private static readonly Workload[] All =
    [
        new MlpTraining("mlp_train", [784, 128, 10], batch: 64, epochs: 5, keptForInference: true),
        new MlpTraining("mlp_train_big", [784, 512, 256, 10], batch: 128, epochs: 3, keptForInference: false),
        new CnnTraining(),
        new GemmThroughput(),
        new StepLatency(),
        new InferenceLatency(),
        new LstmTraining(),
    ];

    /// <summary>The names, in the order the reference runs them.</summary>
    public static readonly string[] Names = [.. All.Select(workload => workload.Name)];

    /// <summary>
    /// The workloads named in <paramref name="wanted"/>, in the reference's order, with mlp_train added when
    /// infer_latency is asked for: it measures the model mlp_train trains, as in the reference.
    /// </summary>
    public static IEnumerable<Workload> InRunOrder(IReadOnlyCollection<string> wanted)
    {
        bool needsMlp = wanted.Contains("infer_latency");
        return All.Where(workload => wanted.Contains(workload.Name) || (needsMlp && workload.Name == "mlp_train"));
    }
}
