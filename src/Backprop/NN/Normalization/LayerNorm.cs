using System.Globalization;
using System.Text.Json.Nodes;
using Backprop.IO;
using Backprop.Tensors;

namespace Backprop.NN;

/// <summary>
/// Layer normalisation (PyTorch's <c>nn.LayerNorm</c>): each sample is normalised over its trailing
/// dimensions D = <see cref="NormalizedShape"/>, y = (x − μ)/√(σ² + ε) ∘ γ + β, where μ and the biased σ² are
/// taken over those |D| values and γ (<c>weight</c>, ones) and β (<c>bias</c>, zeros) have shape D. Unlike batch
/// normalisation it has no running statistics and behaves the same in training and evaluation.
/// Composed of reductions and element-wise operations, so autograd derives the backward pass.
/// </summary>
/// <example>
/// <code>var norm = new LayerNorm([512]);   // x [batch, tokens, 512] → each 512-vector normalised</code>
/// </example>
public sealed class LayerNorm : Module, ISerializableLayer<LayerNorm>, IOnnxExportable
{
    private readonly int[] _normalizedShape;
    private readonly int _normalizedLength;

    /// <summary>Creates the layer with γ = 1 and β = 0.</summary>
    /// <param name="normalizedShape">The trailing dimensions D to normalise over; each must be ≥ 1.</param>
    /// <param name="epsilon">ε added to the variance; must be ≥ 0.</param>
    /// <param name="elementwiseAffine">Whether to learn γ and β.</param>
    /// <exception cref="ArgumentException"><paramref name="normalizedShape"/> is empty.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A dimension is not positive or ε is negative; the message quotes it.</exception>
    public LayerNorm(int[] normalizedShape, double epsilon = 1e-5, bool elementwiseAffine = true)
    {
        ArgumentNullException.ThrowIfNull(normalizedShape);
        if (normalizedShape.Length == 0)
            throw new ArgumentException("LayerNorm: normalizedShape must name at least one dimension, got [].", nameof(normalizedShape));
        if (normalizedShape.Any(size => size < 1))
            throw new ArgumentOutOfRangeException(nameof(normalizedShape), ShapeMath.Format(normalizedShape),
                $"LayerNorm: every dimension of normalizedShape must be ≥ 1, got {ShapeMath.Format(normalizedShape)}.");
        if (!(epsilon >= 0))
            throw new ArgumentOutOfRangeException(nameof(epsilon), epsilon, string.Create(CultureInfo.InvariantCulture,
                $"LayerNorm: epsilon must be ≥ 0, got {epsilon}."));
        _normalizedShape = (int[])normalizedShape.Clone();
        _normalizedLength = ShapeMath.ElementCount(_normalizedShape);
        Epsilon = epsilon;
        if (elementwiseAffine)
        {
            Weight = RegisterParameter("weight", Tensor.Ones(_normalizedShape));
            Bias = RegisterParameter("bias", Tensor.Zeros(_normalizedShape));
        }
    }

    /// <summary>The trailing dimensions D normalised over (a copy).</summary>
    public int[] NormalizedShape => (int[])_normalizedShape.Clone();

    /// <summary>ε, added to the variance before the square root.</summary>
    public double Epsilon { get; }

    /// <summary>γ, shape D, or null when created with <c>elementwiseAffine: false</c>.</summary>
    public Tensor? Weight { get; }

    /// <summary>β, shape D, or null when created with <c>elementwiseAffine: false</c>.</summary>
    public Tensor? Bias { get; }

    /// <inheritdoc />
    /// <exception cref="ArgumentException">The input's trailing dimensions are not <see cref="NormalizedShape"/>.</exception>
    public override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        int leading = input.Rank - _normalizedShape.Length;
        if (leading < 0 || !input.Dims.AsSpan(leading).SequenceEqual(_normalizedShape))
            throw new ArgumentException(
                $"{this}: expected input of shape [*, {string.Join(", ", _normalizedShape)}], got {ShapeMath.Format(input.Dims)}.", nameof(input));

        // Rows of |D| values, so the statistics are two single-axis reductions.
        var rows = input.Reshape(-1, _normalizedLength);
        var centred = rows.Subtract(rows.Mean(1, keepDims: true));
        var variance = centred.Multiply(centred).Mean(1, keepDims: true);
        var normalized = centred.Multiply(variance.AddScalar(Epsilon).Pow(-0.5)).Reshape(input.Shape);
        if (Weight is not null) normalized = normalized.Multiply(Weight);
        if (Bias is not null) normalized = normalized.Add(Bias);
        return normalized;
    }

    static string ISerializableLayer<LayerNorm>.TypeName => "LayerNorm";

    static LayerNorm ISerializableLayer<LayerNorm>.FromArguments(LayerArguments arguments)
    {
        int[] shape = arguments.GetInts("normalized_shape");
        double epsilon = arguments.GetDouble("epsilon", 1e-5);
        bool affine = arguments.GetBool("elementwise_affine", true);
        arguments.Allocates(affine ? LayerArguments.Elements([2, .. shape]) : 0);
        return new LayerNorm(shape, epsilon, affine);
    }

    JsonObject ISerializableLayer<LayerNorm>.DescribeArguments() => new()
    {
        ["normalized_shape"] = new JsonArray([.. _normalizedShape.Select(d => (JsonNode)d)]), ["epsilon"] = Epsilon, ["elementwise_affine"] = Weight is not null,
    };

    string IOnnxExportable.ToOnnx(OnnxGraphBuilder graph, string input) => OnnxNormalizationExport.LayerNorm(this, graph, input);

    OnnxInputShape IOnnxExportable.InputShape => OnnxInputShape.Of(_normalizedShape);

    /// <inheritdoc />
    public override string ToString() => $"LayerNorm({ShapeMath.Format(_normalizedShape)})";
}
