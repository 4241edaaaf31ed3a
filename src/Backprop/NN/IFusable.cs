namespace Backprop.NN;

/// <summary>
/// A layer that can run together with the layer after it as one operation, with the same results as running
/// the two in turn: <see cref="Dense"/> followed by <see cref="ReLU"/>, <see cref="Sigmoid"/> or <see cref="Tanh"/>
/// (bias, product and activation in one pass over the output), <see cref="ReLU"/> followed by <see cref="MaxPool2d"/>
/// (pooling first, then ReLU on the pooled values). <see cref="LayerChain.Forward"/> asks each layer of a chain;
/// <see cref="Sequential"/> runs through it, and so can a container of your own.
/// </summary>
public interface IFusable
{
    /// <summary>
    /// <c>next.Forward(Forward(input))</c> as one operation, or null, having computed nothing, when this layer
    /// does not fuse with <paramref name="next"/>.
    /// </summary>
    Tensor? ForwardFused(Module next, Tensor input);
}
