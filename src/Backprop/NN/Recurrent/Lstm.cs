using System.Text.Json.Nodes;
using Backprop.IO;

namespace Backprop.NN;

/// <summary>
/// A long short-term memory layer (PyTorch's <c>nn.LSTM</c>): for each step t and layer, with σ the logistic
/// sigmoid and ∘ the element-wise product,
/// <code>
/// i_t = σ(x_t·W_iiᵀ + b_ii + h_{t−1}·W_hiᵀ + b_hi)      input gate
/// f_t = σ(x_t·W_ifᵀ + b_if + h_{t−1}·W_hfᵀ + b_hf)      forget gate
/// g_t = tanh(x_t·W_igᵀ + b_ig + h_{t−1}·W_hgᵀ + b_hg)   candidate
/// o_t = σ(x_t·W_ioᵀ + b_io + h_{t−1}·W_hoᵀ + b_ho)      output gate
/// c_t = f_t ∘ c_{t−1} + i_t ∘ g_t
/// h_t = o_t ∘ tanh(c_t)
/// </code>
/// Parameters per layer k, as PyTorch (gates stacked in the order i, f, g, o): <c>weight_ih_lk</c> [4H, input]
/// (layer 0) or [4H, H], <c>weight_hh_lk</c> [4H, H], <c>bias_ih_lk</c> [4H], <c>bias_hh_lk</c> [4H], all
/// initialised U(−1/√H, 1/√H). The cell's additive update gives gradients a path through time that is scaled
/// only by the forget gates, so an LSTM can learn dependencies a plain <see cref="Rnn"/> cannot.
/// </summary>
/// <example>
/// <code>
/// var lstm = new Lstm(inputSize: 3, hiddenSize: 8, numLayers: 2, batchFirst: true);
/// var result = lstm.ForwardWithState(Tensor.Zeros(4, 10, 3));   // N = 4, T = 10
/// // result.Output [4, 10, 8], result.Hidden and result.Cell [2, 4, 8]
/// </code>
/// </example>
public sealed class Lstm : RecurrentLayer, ISerializableLayer<Lstm>, IOnnxExportable
{
    /// <summary>Creates the layer with PyTorch's initialisation, drawn from <see cref="Rng"/> or from <paramref name="seed"/>.</summary>
    /// <param name="inputSize">Width of each input step, ≥ 1.</param>
    /// <param name="hiddenSize">Width H of the hidden and cell states, ≥ 1.</param>
    /// <param name="numLayers">Number of stacked layers, ≥ 1.</param>
    /// <param name="bias">Whether to learn b_ih and b_hh.</param>
    /// <param name="batchFirst">Inputs and outputs as [N, T, …] instead of [T, N, …].</param>
    /// <param name="seed">A seed for the initial values; omitted, the thread's <see cref="Rng"/> is used.</param>
    /// <exception cref="ArgumentOutOfRangeException">A size is not positive.</exception>
    public Lstm(int inputSize, int hiddenSize, int numLayers = 1, bool bias = true, bool batchFirst = false, int? seed = null)
        : base(inputSize, hiddenSize, numLayers, bias, batchFirst, gates: 4, seed)
    {
    }

    private protected override bool HasCell => true;

    static string ISerializableLayer<Lstm>.TypeName => "Lstm";

    static Lstm ISerializableLayer<Lstm>.FromArguments(LayerArguments arguments)
    {
        var (input, hidden, layers, bias, batchFirst) = ReadArguments(arguments, gates: 4);
        return new Lstm(input, hidden, layers, bias, batchFirst, seed: 0);
    }

    JsonObject ISerializableLayer<Lstm>.DescribeArguments() => DescribeArguments();

    string IOnnxExportable.ToOnnx(OnnxGraphBuilder graph, string input) => OnnxRecurrentExport.Export(this, graph, input, "LSTM", OnnxRecurrentExport.LstmGates);

    private protected override (Tensor Hidden, Tensor? Cell) Step(int layer, Tensor input, Tensor hidden, Tensor? cell)
    {
        var gates = InputProjection(layer, input) + HiddenProjection(layer, hidden);
        var inputGate = Gate(gates, 0).Sigmoid();
        var forgetGate = Gate(gates, 1).Sigmoid();
        var candidate = Gate(gates, 2).Tanh();
        var outputGate = Gate(gates, 3).Sigmoid();
        var newCell = forgetGate * cell! + inputGate * candidate;
        return (outputGate * newCell.Tanh(), newCell);
    }
}
