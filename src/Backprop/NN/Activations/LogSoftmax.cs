namespace Backprop.NN;

/// <summary>Log-softmax along the last axis; see <see cref="Tensor.LogSoftmax"/>.</summary>
public sealed class LogSoftmax : Module
{
    /// <inheritdoc />
    public override Tensor Forward(Tensor input) => input.LogSoftmax();

    /// <inheritdoc />
    public override string ToString() => "LogSoftmax()";
}
