namespace Backprop.NN;

/// <summary>The logistic function σ(x) = 1/(1 + e⁻ˣ) applied element-wise; see <see cref="Tensor.Sigmoid"/>.</summary>
public sealed class Sigmoid : Module
{
    /// <inheritdoc />
    public override Tensor Forward(Tensor input) => input.Sigmoid();

    /// <inheritdoc />
    public override string ToString() => "Sigmoid()";
}
