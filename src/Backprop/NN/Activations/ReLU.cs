namespace Backprop.NN;

/// <summary>The rectified linear unit max(0, x) applied element-wise; see <see cref="Tensor.Relu"/>.</summary>
public sealed class ReLU : Module
{
    /// <inheritdoc />
    public override Tensor Forward(Tensor input) => input.Relu();

    /// <inheritdoc />
    public override string ToString() => "ReLU()";
}
