namespace Backprop.NN;

/// <summary>Softmax along the last axis, turning scores into probabilities; see <see cref="Tensor.Softmax"/>.</summary>
public sealed class Softmax : Module
{
    /// <inheritdoc />
    public override Tensor Forward(Tensor input) => input.Softmax();

    /// <inheritdoc />
    public override string ToString() => "Softmax()";
}
