namespace Backprop.Cli.Models;

/// <summary>
/// What the tool needs to know about a trained model besides its layers: where its inputs come from and what
/// its outputs mean. Stored in the model file's metadata, so <c>evaluate</c> and <c>predict</c> read data the way
/// <c>train</c> did.
/// </summary>
/// <param name="InputKind"><see cref="Mnist"/> (784 pixels in [0, 1]) or <see cref="Csv"/> (numeric feature columns).</param>
/// <param name="ClassNames">Output i is the class <c>ClassNames[i]</c> (digits for MNIST, the label texts for CSV).</param>
/// <param name="FeatureNames">The CSV feature columns in the order the model takes them; empty for MNIST.</param>
/// <param name="LabelColumn">The CSV label column's name; null for MNIST.</param>
/// <param name="Loss">The loss trained with (<c>cross-entropy</c> or <c>mse</c>): cross-entropy outputs are logits, turned into probabilities by softmax.</param>
/// <param name="InputShape">One example's shape as the model takes it: [784] or [features] for an MLP, [1, 28, 28] for a CNN.</param>
internal sealed record ModelInfo(
    string InputKind, IReadOnlyList<string> ClassNames, IReadOnlyList<string> FeatureNames, string? LabelColumn, string Loss, IReadOnlyList<int> InputShape)
{
    public const string Mnist = "mnist";

    public const string Csv = "csv";

    /// <summary>Whether the model takes MNIST images as [N, 1, 28, 28] rather than rows of 784 pixels.</summary>
    public bool TakesImages => InputShape.Count == 3;
}
