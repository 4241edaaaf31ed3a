namespace Backprop.Cli.Benchmarking;

/// <summary>
/// One measurement of <c>backprop bench</c>, with the field names of the libtorch reference benchmark
/// (snake_case in JSON) so that the two outputs can be compared line by line.
/// </summary>
internal sealed record BenchResult(string Name)
{
    /// <summary>Matrix size of a gemm line.</summary>
    public int? N { get; init; }

    public double? Gflops { get; init; }

    public double? MedianMs { get; init; }

    public double? SamplesPerS { get; init; }

    /// <summary>Wall time of each training epoch, as the reference reports it: the first one carries the warm-up.</summary>
    public double[]? SecPerEpoch { get; init; }

    /// <summary>Recurrent training throughput: time steps × batch per second.</summary>
    public double? TokensPerS { get; init; }

    public double? TestAccuracy { get; init; }

    public double? FinalTrainLoss { get; init; }

    public double? PeakRssMb { get; init; }

    /// <summary>Bytes allocated (all threads) per training step over the last epoch.</summary>
    public double? AllocBytesPerStep { get; init; }

    public double? UsPerStep { get; init; }

    public double? UsPerStepBiasesTrained { get; init; }

    public double? ErrorAfterSteps { get; init; }

    /// <summary>The network of an inference line, e.g. <c>784-128-10</c>.</summary>
    public string? Model { get; init; }

    /// <summary>Rows per call of an inference line.</summary>
    public int? Batch { get; init; }

    /// <summary>Bytes allocated by the calling thread per inference call (the output tensor is allocated once, outside).</summary>
    public double? AllocBytesPerCall { get; init; }

    public double? MedianUs { get; init; }

    /// <summary>The 10th percentile of an inference line's calls: what the code costs when the neighbours leave the cores alone (the ONNX Runtime reference reports it too).</summary>
    public double? P10Us { get; init; }

    public double? P90Us { get; init; }

    public int? Threads { get; init; }
}
