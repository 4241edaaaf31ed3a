using Backprop.Data;

namespace Backprop.Cli.Benchmarking;

/// <summary>What the workloads of one <c>backprop bench</c> run share: the MNIST subset and the seed.</summary>
internal sealed class WorkloadContext(MnistData data, int seed)
{
    /// <summary>The training images as rows of 784 pixels.</summary>
    public Dataset Train { get; } = data.Train.ToDataset();

    /// <summary>The test images as rows of 784 pixels.</summary>
    public Dataset Test { get; } = data.Test.ToDataset();

    /// <summary>The seed of initial weights, shuffling and random operands (the reference's <c>torch.manual_seed</c>).</summary>
    public int Seed { get; } = seed;

    // The CNN sees the same pixels as [N, 1, 28, 28]: a reshape shares the storage, no copy.

    /// <summary>The training images as [N, 1, 28, 28].</summary>
    public Dataset TrainImages => new(Train.Inputs.Reshape(-1, 1, 28, 28), Train.Labels!, Train.ClassCount);

    /// <summary>The test images as [N, 1, 28, 28].</summary>
    public Dataset TestImages => new(Test.Inputs.Reshape(-1, 1, 28, 28), Test.Labels!, Test.ClassCount);
}
