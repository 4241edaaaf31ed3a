using System.Diagnostics.CodeAnalysis;
using Backprop.Kernels;
using Backprop.Tensors;

namespace Backprop.NN;

/// <summary>
/// The direct route of a forward pass without a graph through a chain of <see cref="Dense"/> layers, each alone or
/// followed by <see cref="ReLU"/>, with <see cref="Dropout"/> layers in evaluation mode between them (identities): the
/// packed products <see cref="LayerChain"/> would otherwise run, in the same order with the same arguments, from this
/// thread's two reusable activation buffers straight into the output. The bits are those of the layers' own
/// <c>Forward</c>s; what it leaves out is a tensor, an arena loan and a layer dispatch per layer, some 0.2 µs a call,
/// a tenth of a single-sample 784-128-10 inference. <c>Predict</c> and <see cref="LayerChain.Forward"/> (so
/// <see cref="Sequential.Forward"/>) take it when they can.
/// </summary>
/// <remarks>
/// Any other chain, input or machine (no 512-bit instructions), a pass inside a training step's arena, or a dropout
/// layer in training mode goes the general way, which also gives the errors.
/// </remarks>
internal static class DenseChainInference
{
    /// <summary>Activation buffers longer than this (16 MB) are not kept for the next call.</summary>
    private const int MaxKeptFloats = 1 << 22;

    [ThreadStatic] private static float[]? t_even, t_odd;

    /// <summary>
    /// Predicts <paramref name="inputs"/> in chunks of <paramref name="batchSize"/> rows into <paramref name="into"/>, or
    /// into a new tensor, when <paramref name="model"/> is a <see cref="Sequential"/> this route runs; false, with nothing
    /// done, otherwise.
    /// </summary>
    public static bool TryPredict(Module model, Tensor inputs, Tensor? into, int batchSize, [NotNullWhen(true)] out Tensor? output)
    {
        output = null;
        return model is Sequential sequential && TryRun(sequential.Layers, inputs, into, batchSize, out output);
    }

    /// <summary>
    /// The output of <paramref name="layers"/> for <paramref name="input"/>, in a new tensor, when no graph is recorded
    /// and the chain is one this route runs; false, with nothing done, otherwise.
    /// </summary>
    public static bool TryForward(IReadOnlyList<Module> layers, Tensor input, [NotNullWhen(true)] out Tensor? output)
    {
        output = null;
        return !Tensor.IsGradEnabled && input.Rank == 2 && TryRun(layers, input, null, Math.Max(1, input.Dims[0]), out output);
    }

    private static bool TryRun(IReadOnlyList<Module> layers, Tensor inputs, Tensor? into, int batchSize, [NotNullWhen(true)] out Tensor? output)
    {
        output = null;
        if (!PackedLinear.IsSupported || StepArena.Open is not null) return false;
        if (inputs.DType != DType.Float32 || inputs.Rank != 2 || inputs.Dims[0] == 0) return false;
        if (!Fits(layers, inputs.Dims[1], out int outputs, out int widest)) return false;
        int count = inputs.Dims[0];
        if (into is not null && (into.DType != DType.Float32 || into.Rank != 2 || into.Dims[0] != count || into.Dims[1] != outputs)) return false;
        // Written while the inputs are still being read; the general route computes first and copies after.
        if (into is not null && ReferenceEquals(into.Storage, inputs.Storage)) return false;

        output = into ?? Tensor.Uninitialized(DType.Float32, [count, outputs]);
        var x = inputs.Span<float>();
        var y = output.Span<float>();
        int width = inputs.Dims[1];
        for (int start = 0; start < count; start += batchSize)
        {
            int rows = Math.Min(batchSize, count - start);
            Run(layers, x.Slice(start * width, rows * width), rows, widest, y.Slice(start * outputs, rows * outputs));
        }

        into?.MarkChanged();
        return true;
    }

    /// <summary>
    /// Whether <paramref name="layers"/> is a chain this route runs for rows of <paramref name="width"/> values: at least
    /// one float32 dense layer, each taking the previous one's width, ReLU only right after a dense layer, dropout only in
    /// evaluation mode (as every module reads inside <see cref="InferenceMode"/>).
    /// </summary>
    private static bool Fits(IReadOnlyList<Module> layers, int width, out int outputs, out int widest)
    {
        outputs = width;
        widest = 0;
        bool dense = false;
        for (int i = 0; i < layers.Count; i++)
        {
            switch (layers[i])
            {
                case Dense layer when layer.Inputs == outputs && layer.Weight.DType == DType.Float32 && (layer.Bias is null || layer.Bias.DType == DType.Float32):
                    outputs = layer.Outputs;
                    if (i + 1 < layers.Count) widest = Math.Max(widest, outputs);
                    dense = true;
                    break;
                case ReLU when i > 0 && layers[i - 1] is Dense:
                case Dropout { IsTraining: false }:
                    break;
                default:
                    return false;
            }
        }

        return dense;
    }

    /// <summary>One chunk of <paramref name="rows"/> rows through the layers, the activations alternating between this thread's two buffers.</summary>
    private static unsafe void Run(IReadOnlyList<Module> layers, ReadOnlySpan<float> x, int rows, int widest, Span<float> y)
    {
        var input = x;
        bool even = true;
        for (int i = NextDense(layers, -1); i >= 0;)
        {
            var dense = (Dense)layers[i];
            int next = NextDense(layers, i);
            if (rows == 1 && next >= 0 && ((Dense)layers[next]).Outputs <= PackedWeight.PanelWidth)
            {
                // One sample into a narrow layer: both products in one call, the second begun while the first finishes.
                var narrow = (Dense)layers[next];
                int after = NextDense(layers, next);
                var hidden = Buffer(ref even ? ref t_even : ref t_odd, widest)[..dense.Outputs];
                var result = after < 0 ? y : Buffer(ref even ? ref t_odd : ref t_even, widest)[..narrow.Outputs];
                fixed (float* px = input, ph = hidden, py = result, b1 = Bias(dense), b2 = Bias(narrow))
                {
                    PackedLinear.MultiplyRowPair(px, PackedWeight.Of(dense.Weight), b1, ReluAfter(layers, i), ph, PackedWeight.Of(narrow.Weight), b2, ReluAfter(layers, next), py);
                }
                input = result;
                i = after;
            }
            else
            {
                var result = next < 0 ? y : Buffer(ref even ? ref t_even : ref t_odd, rows * widest)[..(rows * dense.Outputs)];
                PackedLinear.Multiply(input, rows, PackedWeight.Of(dense.Weight), Bias(dense), ReluAfter(layers, i), result);
                input = result;
                even = !even;
                i = next;
            }
        }
    }

    /// <summary>The next dense layer after index <paramref name="index"/>, or -1.</summary>
    private static int NextDense(IReadOnlyList<Module> layers, int index)
    {
        for (int i = index + 1; i < layers.Count; i++)
            if (layers[i] is Dense) return i;
        return -1;
    }

    /// <summary>Whether a ReLU follows the dense layer at <paramref name="index"/> (it is then applied in the product).</summary>
    private static bool ReluAfter(IReadOnlyList<Module> layers, int index) => index + 1 < layers.Count && layers[index + 1] is ReLU;

    private static ReadOnlySpan<float> Bias(Dense dense) => dense.Bias is null ? default : dense.Bias.Span<float>();

    private static Span<float> Buffer(ref float[]? slot, int length)
    {
        if (slot is not null && slot.Length >= length) return slot;
        var buffer = GC.AllocateUninitializedArray<float>(length);
        if (length <= MaxKeptFloats) slot = buffer;
        return buffer;
    }
}
