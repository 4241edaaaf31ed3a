namespace Backprop.NN;

/// <summary>x for x &gt; 0, else negativeSlope·x, element-wise; see <see cref="Tensor.LeakyRelu"/>.</summary>
public sealed class LeakyReLU(double negativeSlope = 0.01) : Module
{
    /// <inheritdoc />
    public override Tensor Forward(Tensor input) => input.LeakyRelu(NegativeSlope);

    /// <summary>The slope for negative inputs.</summary>
    public double NegativeSlope { get; } = double.IsFinite(negativeSlope)
        ? negativeSlope
        : throw new ArgumentOutOfRangeException(nameof(negativeSlope), negativeSlope, "LeakyReLU: negativeSlope must be finite.");

    /// <inheritdoc />
    public override string ToString() => FormattableString.Invariant($"LeakyReLU({NegativeSlope})");
}
