using Backprop.NN;

namespace Backprop.IO;

/// <summary>
/// <see cref="Lstm"/>, <see cref="Gru"/> and <see cref="Rnn"/> as ONNX's LSTM, GRU and RNN operators (opset 13),
/// one operator per stacked layer. The layer's output sequence (what <see cref="RecurrentLayer.Forward(Tensor)"/>
/// returns) is exported from a zero initial state.
/// </summary>
/// <remarks>
/// ONNX wants W [directions, gates·H, input], R [directions, gates·H, H] and B = concat(Wb, Rb)
/// [directions, 2·gates·H], gates stacked in its own order: LSTM i, o, f, c (PyTorch i, f, g, o) and GRU
/// z, r, h (PyTorch r, z, n); the row blocks are reordered accordingly. GRU uses
/// <c>linear_before_reset = 1</c>, which is PyTorch's n = tanh(W_in·x + b_in + r ∘ (W_hn·h + b_hn)). The
/// operators read [T, N, input] and write Y [T, directions, N, H]; the directions axis is squeezed before
/// the next layer, and a <c>batchFirst</c> layer is wrapped in transposes. Initializers are named
/// <c>W_l{k}</c>, <c>R_l{k}</c> and <c>B_l{k}</c> under the layer's path, since they are rearranged
/// PyTorch tensors rather than the tensors themselves.
/// </remarks>
internal static class OnnxRecurrentExport
{
    /// <summary>Where each of ONNX's LSTM gates (i, o, f, c) sits in PyTorch's order (i, f, g, o).</summary>
    public static readonly int[] LstmGates = [0, 3, 1, 2];

    /// <summary>Where each of ONNX's GRU gates (z, r, h) sits in PyTorch's order (r, z, n).</summary>
    public static readonly int[] GruGates = [1, 0, 2];

    /// <summary>Adds the layer's operators reading <paramref name="input"/>; returns the output sequence's name.</summary>
    /// <param name="layer">The recurrent layer.</param>
    /// <param name="graph">The graph being built.</param>
    /// <param name="input">[N, T, input] for a <c>batchFirst</c> layer, else [T, N, input].</param>
    /// <param name="opType">"LSTM", "GRU" or "RNN".</param>
    /// <param name="gateOrder">For each ONNX gate, its index in PyTorch's order.</param>
    /// <param name="attributes">The operator's attributes beyond <c>hidden_size</c>.</param>
    public static string Export(RecurrentLayer layer, OnnxGraphBuilder graph, string input, string opType, int[] gateOrder, params OnnxAttribute[] attributes)
    {
        string sequence = layer.BatchFirst ? graph.AddNode("Transpose", [input], OnnxAttribute.Ints("perm", 1, 0, 2)) : input;
        OnnxAttribute[] all = [OnnxAttribute.Int("hidden_size", layer.HiddenSize), .. attributes];
        string directionsAxis = graph.AddInt64Constant(1);
        for (int k = 0; k < layer.NumLayers; k++)
        {
            string weights = graph.AddInitializer($"W_l{k}", Reordered(layer.WeightsIh[k], gateOrder, layer.HiddenSize));
            string recurrence = graph.AddInitializer($"R_l{k}", Reordered(layer.WeightsHh[k], gateOrder, layer.HiddenSize));
            string bias = layer.HasBias
                ? graph.AddInitializer($"B_l{k}", Tensor.Concat([Reordered(layer.BiasesIh[k], gateOrder, layer.HiddenSize), Reordered(layer.BiasesHh[k], gateOrder, layer.HiddenSize)], 1))
                : "";
            string output = graph.AddNode(opType, [sequence, weights, recurrence, bias], all);
            sequence = graph.AddNode("Squeeze", [output, directionsAxis]);
        }

        return layer.BatchFirst ? graph.AddNode("Transpose", [sequence], OnnxAttribute.Ints("perm", 1, 0, 2)) : sequence;
    }

    /// <summary>
    /// A [gates·H, width] weight (or [gates·H] bias) with its H-row gate blocks put in ONNX's order and a
    /// leading directions axis of 1: [1, gates·H, width] (or [1, gates·H]).
    /// </summary>
    private static Tensor Reordered(Tensor stacked, int[] gateOrder, int hiddenSize)
    {
        double[] values = stacked.ToDoubleArray();
        int blockLength = values.Length / gateOrder.Length;
        var reordered = new double[values.Length];
        for (int gate = 0; gate < gateOrder.Length; gate++)
            Array.Copy(values, gateOrder[gate] * blockLength, reordered, gate * blockLength, blockLength);
        int[] shape = stacked.Rank == 1 ? [1, gateOrder.Length * hiddenSize] : [1, gateOrder.Length * hiddenSize, stacked.Dims[1]];
        return Tensor.FromArray(reordered, shape);
    }
}
