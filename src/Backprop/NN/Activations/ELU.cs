namespace Backprop.NN;

/// <summary>x for x &gt; 0, else α(eˣ − 1), element-wise; see <see cref="Tensor.Elu"/>.</summary>
public sealed class ELU(double alpha = 1.0) : Module
{
    /// <inheritdoc />
    public override Tensor Forward(Tensor input) => input.Elu(Alpha);

    /// <summary>The value approached for large negative inputs is −α.</summary>
    public double Alpha { get; } = double.IsFinite(alpha)
        ? alpha
        : throw new ArgumentOutOfRangeException(nameof(alpha), alpha, "ELU: alpha must be finite.");

    /// <inheritdoc />
    public override string ToString() => FormattableString.Invariant($"ELU({Alpha})");
}
