using Backprop.Tensors;

namespace Backprop.NN;

/// <summary>
/// Layers applied one after another; the i-th layer's parameters are named <c>i.weight</c>, <c>i.bias</c>
/// as in PyTorch's <c>nn.Sequential</c>.
/// </summary>
/// <example>
/// <code>var model = new Sequential(new Dense(2, 2), new Sigmoid(), new Dense(2, 1), new Sigmoid());</code>
/// </example>
public sealed class Sequential : Module
{
    private readonly List<Module> _layers = [];

    /// <summary>Creates the stack from its layers, in order.</summary>
    public Sequential(params Module[] layers)
    {
        ArgumentNullException.ThrowIfNull(layers);
        foreach (var layer in layers) Add(layer);
    }

    /// <summary>Appends a layer; returns this stack.</summary>
    public Sequential Add(Module layer)
    {
        RegisterModule(_layers.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), layer);
        _layers.Add(layer);
        return this;
    }

    /// <summary>The layers, in order.</summary>
    public IReadOnlyList<Module> Layers => _layers;

    /// <summary>The layer at <paramref name="index"/>.</summary>
    public Module this[int index] => _layers[index];

    /// <summary>The number of layers.</summary>
    public int Count => _layers.Count;

    /// <inheritdoc />
    /// <remarks>
    /// A <see cref="Dense"/> layer directly followed by <see cref="ReLU"/>, <see cref="Sigmoid"/> or <see cref="Tanh"/>
    /// runs as one fused operation (bias, product and activation in one pass over the output), with the same results;
    /// so does a <see cref="ReLU"/> directly followed by <see cref="MaxPool2d"/> (pooling first, then ReLU on the pooled values).
    /// When no graph is recorded (<see cref="Tensor.NoGrad"/>, <see cref="InferenceMode"/>), the activations between the
    /// layers live in this thread's reusable buffers and only the output is allocated.
    /// </remarks>
    public override Tensor Forward(Tensor input) =>
        InferenceArena.CanOpen ? InferenceArena.Run(new LayersInput(this, input), static state => state.Model.ForwardLayers(state.Input)) : ForwardLayers(input);

    private readonly record struct LayersInput(Sequential Model, Tensor Input);

    private Tensor ForwardLayers(Tensor input)
    {
        var x = input;
        for (int i = 0; i < _layers.Count; i++)
        {
            if (_layers[i] is Dense dense && i + 1 < _layers.Count && FusableActivation(_layers[i + 1]) is var activation && activation != DenseActivation.None)
            {
                x = dense.Forward(x, activation);
                i++;
            }
            else if (_layers[i] is ReLU && i + 1 < _layers.Count && _layers[i + 1] is MaxPool2d pool)
            {
                x = pool.ForwardOfRelu(x);
                i++;
            }
            else x = _layers[i].Forward(x);
        }
        return x;
    }

    private static DenseActivation FusableActivation(Module layer) => layer switch
    {
        ReLU => DenseActivation.Relu,
        Sigmoid => DenseActivation.Sigmoid,
        Tanh => DenseActivation.Tanh,
        _ => DenseActivation.None,
    };

    /// <inheritdoc />
    public override string ToString() => $"Sequential({string.Join(", ", _layers)})";
}
