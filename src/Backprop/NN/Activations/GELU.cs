namespace Backprop.NN;

/// <summary>The Gaussian error linear unit x·Φ(x) (exact erf form) applied element-wise; see <see cref="Tensor.Gelu"/>.</summary>
public sealed class GELU : Module
{
    /// <inheritdoc />
    public override Tensor Forward(Tensor input) => input.Gelu();

    /// <inheritdoc />
    public override string ToString() => "GELU()";
}
