using System.Text.Json.Nodes;
using Backprop.IO;

namespace Backprop.NN;

/// <summary>
/// Batch normalisation of [N, C] features or [N, C, L] sequences, per channel over the batch (and length);
/// the equations, running statistics and names are those of <see cref="BatchNorm"/> (PyTorch's <c>nn.BatchNorm1d</c>).
/// </summary>
/// <example>
/// <code>var model = new Sequential(new Dense(20, 64), new BatchNorm1d(64), new ReLU(), new Dense(64, 1));</code>
/// </example>
public sealed class BatchNorm1d : BatchNorm, ISerializableLayer<BatchNorm1d>, IOnnxExportable
{
    /// <summary>Creates the layer with γ = 1, β = 0, running mean 0 and running variance 1.</summary>
    /// <param name="numFeatures">The number of channels C; must be ≥ 1.</param>
    /// <param name="epsilon">ε added to the variance; must be ≥ 0.</param>
    /// <param name="momentum">The weight of each new batch in the running statistics, in [0, 1].</param>
    /// <param name="affine">Whether to learn γ (<c>weight</c>) and β (<c>bias</c>).</param>
    /// <param name="trackRunningStats">Whether to keep running statistics for evaluation; without them evaluation also uses batch statistics.</param>
    /// <exception cref="ArgumentOutOfRangeException">An argument is outside its range; the message quotes it.</exception>
    public BatchNorm1d(int numFeatures, double epsilon = 1e-5, double momentum = 0.1, bool affine = true, bool trackRunningStats = true)
        : base(numFeatures, epsilon, momentum, affine, trackRunningStats)
    {
    }

    static string ISerializableLayer<BatchNorm1d>.TypeName => "BatchNorm1d";

    static BatchNorm1d ISerializableLayer<BatchNorm1d>.FromArguments(LayerArguments arguments)
    {
        var (features, epsilon, momentum, affine, track) = ReadArguments(arguments);
        return new BatchNorm1d(features, epsilon, momentum, affine, track);
    }

    JsonObject ISerializableLayer<BatchNorm1d>.DescribeArguments() => DescribeArguments();

    string IOnnxExportable.ToOnnx(OnnxGraphBuilder graph, string input) => OnnxNormalizationExport.BatchNorm(this, graph, input);

    OnnxInputShape IOnnxExportable.InputShape => OnnxInputShape.Of(NumFeatures);

    private protected override string ExpectedShape => $"[N, {NumFeatures}] or [N, {NumFeatures}, L]";

    private protected override bool AcceptsRank(int rank) => rank is 2 or 3;
}
