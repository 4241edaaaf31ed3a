using System.Text.Json.Nodes;
using Backprop.IO;

namespace Backprop.NN;

/// <summary>
/// A gated recurrent unit layer (PyTorch's <c>nn.GRU</c>): for each step t and layer, with σ the logistic
/// sigmoid and ∘ the element-wise product,
/// <code>
/// r_t = σ(x_t·W_irᵀ + b_ir + h_{t−1}·W_hrᵀ + b_hr)             reset gate
/// z_t = σ(x_t·W_izᵀ + b_iz + h_{t−1}·W_hzᵀ + b_hz)             update gate
/// n_t = tanh(x_t·W_inᵀ + b_in + r_t ∘ (h_{t−1}·W_hnᵀ + b_hn))   candidate
/// h_t = (1 − z_t) ∘ n_t + z_t ∘ h_{t−1}
/// </code>
/// (the reset gate multiplies the hidden projection after its bias, as PyTorch and cuDNN do). Parameters per
/// layer k, gates stacked in the order r, z, n: <c>weight_ih_lk</c> [3H, input] (layer 0) or [3H, H],
/// <c>weight_hh_lk</c> [3H, H], <c>bias_ih_lk</c> [3H], <c>bias_hh_lk</c> [3H], all initialised U(−1/√H, 1/√H).
/// </summary>
/// <example>
/// <code>
/// var gru = new Gru(inputSize: 3, hiddenSize: 8);
/// var result = gru.ForwardWithState(Tensor.Zeros(5, 2, 3), lengths: [5, 3]);
/// // result.Hidden [1, 2, 8]: sequence 1's state after its 3rd step
/// </code>
/// </example>
public sealed class Gru : RecurrentLayer, ISerializableLayer<Gru>, IOnnxExportable
{
    /// <summary>Creates the layer with PyTorch's initialisation, drawn from <see cref="Rng"/> or from <paramref name="seed"/>.</summary>
    /// <param name="inputSize">Width of each input step, ≥ 1.</param>
    /// <param name="hiddenSize">Width H of the hidden state, ≥ 1.</param>
    /// <param name="numLayers">Number of stacked layers, ≥ 1.</param>
    /// <param name="bias">Whether to learn b_ih and b_hh.</param>
    /// <param name="batchFirst">Inputs and outputs as [N, T, …] instead of [T, N, …].</param>
    /// <param name="seed">A seed for the initial values; omitted, the thread's <see cref="Rng"/> is used.</param>
    /// <exception cref="ArgumentOutOfRangeException">A size is not positive.</exception>
    public Gru(int inputSize, int hiddenSize, int numLayers = 1, bool bias = true, bool batchFirst = false, int? seed = null)
        : base(inputSize, hiddenSize, numLayers, bias, batchFirst, gates: 3, seed)
    {
    }

    static string ISerializableLayer<Gru>.TypeName => "Gru";

    static Gru ISerializableLayer<Gru>.FromArguments(LayerArguments arguments)
    {
        var (input, hidden, layers, bias, batchFirst) = ReadArguments(arguments, gates: 3);
        return new Gru(input, hidden, layers, bias, batchFirst, seed: 0);
    }

    JsonObject ISerializableLayer<Gru>.DescribeArguments() => DescribeArguments();

    string IOnnxExportable.ToOnnx(OnnxGraphBuilder graph, string input) => OnnxRecurrentExport.Export(this, graph, input, "GRU", OnnxRecurrentExport.GruGates, OnnxAttribute.Int("linear_before_reset", 1));

    private protected override (Tensor Hidden, Tensor? Cell) Step(int layer, Tensor input, Tensor hidden, Tensor? cell)
    {
        var fromInput = InputProjection(layer, input);
        var fromHidden = HiddenProjection(layer, hidden);
        var reset = (Gate(fromInput, 0) + Gate(fromHidden, 0)).Sigmoid();
        var update = (Gate(fromInput, 1) + Gate(fromHidden, 1)).Sigmoid();
        var candidate = (Gate(fromInput, 2) + reset * Gate(fromHidden, 2)).Tanh();
        return ((1 - update) * candidate + update * hidden, null);
    }
}
