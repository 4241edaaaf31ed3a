using System.Text.Json.Nodes;
using Backprop.IO;

namespace Backprop.NN;

/// <summary>
/// Batch normalisation of [N, C, H, W] feature maps, per channel over the batch and both spatial axes;
/// the equations, running statistics and names are those of <see cref="BatchNorm"/> (PyTorch's <c>nn.BatchNorm2d</c>).
/// </summary>
/// <example>
/// <code>var maps = new BatchNorm2d(16).Forward(Tensor.RandomNormal([8, 16, 28, 28], seed: 0));   // [8, 16, 28, 28]</code>
/// </example>
public sealed class BatchNorm2d : BatchNorm, ISerializableLayer<BatchNorm2d>, IOnnxExportable
{
    /// <summary>Creates the layer with γ = 1, β = 0, running mean 0 and running variance 1.</summary>
    /// <param name="numFeatures">The number of channels C; must be ≥ 1.</param>
    /// <param name="epsilon">ε added to the variance; must be ≥ 0.</param>
    /// <param name="momentum">The weight of each new batch in the running statistics, in [0, 1].</param>
    /// <param name="affine">Whether to learn γ (<c>weight</c>) and β (<c>bias</c>).</param>
    /// <param name="trackRunningStats">Whether to keep running statistics for evaluation; without them evaluation also uses batch statistics.</param>
    /// <exception cref="ArgumentOutOfRangeException">An argument is outside its range; the message quotes it.</exception>
    public BatchNorm2d(int numFeatures, double epsilon = 1e-5, double momentum = 0.1, bool affine = true, bool trackRunningStats = true)
        : base(numFeatures, epsilon, momentum, affine, trackRunningStats)
    {
    }

    static string ISerializableLayer<BatchNorm2d>.TypeName => "BatchNorm2d";

    static BatchNorm2d ISerializableLayer<BatchNorm2d>.FromArguments(LayerArguments arguments)
    {
        var (features, epsilon, momentum, affine, track) = ReadArguments(arguments);
        return new BatchNorm2d(features, epsilon, momentum, affine, track);
    }

    JsonObject ISerializableLayer<BatchNorm2d>.DescribeArguments() => DescribeArguments();

    string IOnnxExportable.ToOnnx(OnnxGraphBuilder graph, string input) => OnnxNormalizationExport.BatchNorm(this, graph, input);

    private protected override string ExpectedShape => $"[N, {NumFeatures}, H, W]";

    private protected override bool AcceptsRank(int rank) => rank == 4;
}
