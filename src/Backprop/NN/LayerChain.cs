using Backprop.Tensors;

namespace Backprop.NN;

/// <summary>
/// Runs layers one after another, as one fused operation wherever a layer says it fuses with the next
/// (<see cref="IFusable"/>); the results are those of calling each layer's <see cref="Module.Forward"/> in turn.
/// </summary>
/// <example>
/// A container of your own gets the fusion <see cref="Sequential"/> has:
/// <code>
/// public override Tensor Forward(Tensor input) => LayerChain.Forward(_layers, input);   // e.g. Dense, ReLU, Dense
/// </code>
/// </example>
public static class LayerChain
{
    /// <summary>The output of <paramref name="layers"/> applied in order to <paramref name="input"/>.</summary>
    /// <remarks>
    /// When no graph is recorded (<see cref="Tensor.NoGrad"/>, <see cref="InferenceMode"/>), the activations between
    /// the layers live in this thread's reusable buffers and only the output is allocated; a chain of dense layers (each
    /// alone or followed by ReLU, dropout in evaluation mode between them) then runs its products straight from those
    /// buffers, with no tensor between layers (the same bits).
    /// </remarks>
    /// <param name="layers">The layers, first to last; none is null.</param>
    /// <param name="input">The first layer's input.</param>
    public static Tensor Forward(IReadOnlyList<Module> layers, Tensor input)
    {
        ArgumentNullException.ThrowIfNull(layers);
        ArgumentNullException.ThrowIfNull(input);
        if (DenseChainInference.TryForward(layers, input, out var direct)) return direct;
        return InferenceArena.CanOpen ? InferenceArena.Run(new Chain(layers, input), static chain => Run(chain.Layers, chain.Input)) : Run(layers, input);
    }

    private readonly record struct Chain(IReadOnlyList<Module> Layers, Tensor Input);

    private static Tensor Run(IReadOnlyList<Module> layers, Tensor input)
    {
        var x = input;
        int count = layers.Count;
        for (int i = 0; i < count; i++)
        {
            var layer = layers[i];
            if (i + 1 < count && layer is IFusable fusable && fusable.ForwardFused(layers[i + 1], x) is Tensor fused)
            {
                x = fused;
                i++;
            }
            else x = layer.Forward(x);
        }
        return x;
    }
}
