using System.Text.Json.Nodes;
using Backprop.IO;

namespace Backprop.NN;

/// <summary>
/// An Elman recurrent layer (PyTorch's <c>nn.RNN</c>): for each step t and layer,
/// <code>h_t = φ(x_t·W_ihᵀ + b_ih + h_{t−1}·W_hhᵀ + b_hh)</code>
/// with φ = tanh (default) or ReLU, x_t [N, input], h_t [N, H]. Parameters per layer k, as PyTorch:
/// <c>weight_ih_lk</c> [H, input] (layer 0) or [H, H], <c>weight_hh_lk</c> [H, H], <c>bias_ih_lk</c> [H],
/// <c>bias_hh_lk</c> [H], all initialised U(−1/√H, 1/√H). Gradients through many steps multiply by
/// W_hhᵀ·diag(φ′) once per step, which is why they vanish (or explode) over long sequences.
/// </summary>
/// <example>
/// <code>
/// var rnn = new Rnn(inputSize: 3, hiddenSize: 8);
/// var result = rnn.ForwardWithState(Tensor.Zeros(5, 2, 3));   // T = 5, N = 2
/// // result.Output [5, 2, 8], result.Hidden [1, 2, 8]
/// </code>
/// </example>
public sealed class Rnn : RecurrentLayer, ISerializableLayer<Rnn>, IOnnxExportable
{
    /// <summary>Creates the layer with PyTorch's initialisation, drawn from <see cref="Rng"/> or from <paramref name="seed"/>.</summary>
    /// <param name="inputSize">Width of each input step, ≥ 1.</param>
    /// <param name="hiddenSize">Width H of the hidden state, ≥ 1.</param>
    /// <param name="numLayers">Number of stacked layers, ≥ 1.</param>
    /// <param name="nonlinearity">φ: tanh or ReLU.</param>
    /// <param name="bias">Whether to learn b_ih and b_hh.</param>
    /// <param name="batchFirst">Inputs and outputs as [N, T, …] instead of [T, N, …].</param>
    /// <param name="seed">A seed for the initial values; omitted, the thread's <see cref="Rng"/> is used.</param>
    /// <exception cref="ArgumentOutOfRangeException">A size is not positive, or the nonlinearity is unknown.</exception>
    public Rnn(int inputSize, int hiddenSize, int numLayers = 1, RnnNonlinearity nonlinearity = RnnNonlinearity.Tanh,
        bool bias = true, bool batchFirst = false, int? seed = null)
        : base(inputSize, hiddenSize, numLayers, bias, batchFirst, gates: 1, seed)
    {
        if (!Enum.IsDefined(nonlinearity))
            throw new ArgumentOutOfRangeException(nameof(nonlinearity), nonlinearity, $"Rnn: nonlinearity must be Tanh or Relu, got {nonlinearity}.");
        Nonlinearity = nonlinearity;
    }

    /// <summary>φ, the activation of the hidden state.</summary>
    public RnnNonlinearity Nonlinearity { get; }

    static string ISerializableLayer<Rnn>.TypeName => "Rnn";

    static Rnn ISerializableLayer<Rnn>.FromArguments(LayerArguments arguments)
    {
        var (input, hidden, layers, bias, batchFirst) = ReadArguments(arguments, gates: 1);
        string nonlinearity = arguments.GetString("nonlinearity", "tanh");
        var kind = nonlinearity switch
        {
            "tanh" => RnnNonlinearity.Tanh,
            "relu" => RnnNonlinearity.Relu,
            _ => throw arguments.Error($"argument 'nonlinearity' must be \"tanh\" or \"relu\", got \"{nonlinearity}\""),
        };
        return new Rnn(input, hidden, layers, kind, bias, batchFirst, seed: 0);
    }

    JsonObject ISerializableLayer<Rnn>.DescribeArguments()
    {
        var arguments = DescribeArguments();
        arguments["nonlinearity"] = Nonlinearity == RnnNonlinearity.Relu ? "relu" : "tanh";
        return arguments;
    }

    string IOnnxExportable.ToOnnx(OnnxGraphBuilder graph, string input) =>
        OnnxRecurrentExport.Export(this, graph, input, "RNN", [0], OnnxAttribute.Strings("activations", Nonlinearity == RnnNonlinearity.Relu ? "Relu" : "Tanh"));

    private protected override (Tensor Hidden, Tensor? Cell) Step(int layer, Tensor input, Tensor hidden, Tensor? cell)
    {
        var preActivation = InputProjection(layer, input) + HiddenProjection(layer, hidden);
        return (Nonlinearity == RnnNonlinearity.Tanh ? preActivation.Tanh() : preActivation.Relu(), null);
    }

    private protected override IEnumerable<string> ExtraOptions() =>
        Nonlinearity == RnnNonlinearity.Tanh ? [] : ["nonlinearity: Relu"];
}
