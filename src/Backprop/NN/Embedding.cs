using System.Text.Json.Nodes;
using Backprop.IO;

namespace Backprop.NN;

/// <summary>
/// A lookup table of learned vectors (PyTorch's <c>nn.Embedding</c>): index i gives row i of
/// <see cref="Weight"/> [vocabulary, dimension], initialised N(0, 1) as PyTorch. Backward adds each looked-up
/// row's gradient into its row, so an index used several times accumulates several gradients.
/// </summary>
/// <example>
/// <code>
/// var embedding = new Embedding(vocabulary: 27, dimension: 8);
/// var vectors = embedding.Forward([3, 1, 3]);   // [3, 8]; rows 0 and 2 are the same vector
/// </code>
/// </example>
public sealed class Embedding : Module, ISerializableLayer<Embedding>, IOnnxExportable
{
    /// <summary>Creates the table with N(0, 1) entries, drawn from <see cref="Rng"/> or from <paramref name="seed"/>.</summary>
    /// <param name="vocabulary">Number of indices (rows), ≥ 1.</param>
    /// <param name="dimension">Width of each vector, ≥ 1.</param>
    /// <param name="seed">A seed for the initial values; omitted, the thread's <see cref="Rng"/> is used.</param>
    /// <exception cref="ArgumentOutOfRangeException">A size is not positive.</exception>
    public Embedding(int vocabulary, int dimension, int? seed = null)
    {
        if (vocabulary < 1) throw new ArgumentOutOfRangeException(nameof(vocabulary), vocabulary, $"Embedding: vocabulary must be ≥ 1, got {vocabulary}.");
        if (dimension < 1) throw new ArgumentOutOfRangeException(nameof(dimension), dimension, $"Embedding: dimension must be ≥ 1, got {dimension}.");
        (Vocabulary, Dimension) = (vocabulary, dimension);
        var random = Rng.ForLayer(seed);
        Weight = RegisterParameter("weight", Tensor.RandomNormal([vocabulary, dimension], random));
    }

    /// <summary>Number of indices.</summary>
    public int Vocabulary { get; }

    /// <summary>Width of each vector.</summary>
    public int Dimension { get; }

    /// <summary>The table, [vocabulary, dimension]: row i is index i's vector.</summary>
    public Tensor Weight { get; }

    /// <summary>
    /// The vectors of a tensor of whole-number indices: [N] gives [N, dimension], [N, T] gives [N, T, dimension]
    /// (any shape S gives [..S, dimension]).
    /// </summary>
    /// <exception cref="ArgumentException">An index is not a whole number or is outside [0, vocabulary).</exception>
    public override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var values = input.ToDoubleArray();
        var indices = new int[values.Length];
        for (int i = 0; i < values.Length; i++)
        {
            if (values[i] != Math.Floor(values[i]) || values[i] < 0 || values[i] >= Vocabulary)
                throw new ArgumentOutOfRangeException(nameof(input), values[i],
                    $"{this}: index {values[i]} at position {i} is not a whole number in [0, {Vocabulary}) (vocabulary size {Vocabulary}).");
            indices[i] = (int)values[i];
        }
        return Weight.IndexSelect(indices).Reshape([.. input.Dims, Dimension]);
    }

    /// <summary>The vectors of <paramref name="indices"/>: [indices.Length, dimension].</summary>
    /// <exception cref="ArgumentOutOfRangeException">An index is outside [0, vocabulary).</exception>
    public Tensor Forward(int[] indices)
    {
        ArgumentNullException.ThrowIfNull(indices);
        for (int i = 0; i < indices.Length; i++)
            if ((uint)indices[i] >= (uint)Vocabulary)
                throw new ArgumentOutOfRangeException(nameof(indices), indices[i],
                    $"{this}: index {indices[i]} at position {i} is outside [0, {Vocabulary}) (vocabulary size {Vocabulary}).");
        return Weight.IndexSelect(indices);
    }

    static string ISerializableLayer<Embedding>.TypeName => "Embedding";

    static Embedding ISerializableLayer<Embedding>.FromArguments(LayerArguments arguments)
    {
        int vocabulary = arguments.GetInt("vocabulary"), dimension = arguments.GetInt("dimension");
        arguments.Allocates(LayerArguments.Elements(vocabulary, dimension));
        return new Embedding(vocabulary, dimension, seed: 0);
    }

    JsonObject ISerializableLayer<Embedding>.DescribeArguments() => new() { ["vocabulary"] = Vocabulary, ["dimension"] = Dimension };

    /// <summary>Gather of the table's rows; this layer takes whole numbers in the model's float type, ONNX's Gather wants integers (Cast to INT64).</summary>
    string IOnnxExportable.ToOnnx(OnnxGraphBuilder graph, string input) => graph.AddNode("Gather",
        [graph.AddInitializer("weight", Weight), graph.AddNode("Cast", [input], OnnxAttribute.Int("to", 7))], OnnxAttribute.Int("axis", 0));

    /// <inheritdoc />
    public override string ToString() => $"Embedding({Vocabulary}, {Dimension})";
}
