namespace Backprop.NN;

/// <summary>The hyperbolic tangent applied element-wise; see <see cref="Tensor.Tanh"/>.</summary>
public sealed class Tanh : Module
{
    /// <inheritdoc />
    public override Tensor Forward(Tensor input) => input.Tanh();

    /// <inheritdoc />
    public override string ToString() => "Tanh()";
}
