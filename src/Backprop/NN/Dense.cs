using System.Globalization;
using System.Text.Json.Nodes;
using Backprop.IO;
using Backprop.Tensors;

namespace Backprop.NN;

/// <summary>
/// A fully connected layer: y = x·Wᵀ + b, with x [batch, inputs], W [outputs, inputs], b [outputs]
/// (PyTorch's <c>nn.Linear</c> layout and default initialisation: W and b uniform in ±1/√inputs).
/// </summary>
/// <example>
/// <code>var layer = new Dense(784, 128);   // parameters "weight" [128, 784], "bias" [128]</code>
/// </example>
public sealed class Dense : Module, ISerializableLayer<Dense>, IOnnxExportable, IFusable
{
    /// <summary>Creates the layer with PyTorch's default initialisation, drawn from <see cref="Rng"/> or from <paramref name="seed"/>.</summary>
    /// <param name="inputs">Width of each input row; must be ≥ 1.</param>
    /// <param name="outputs">Number of neurons; must be ≥ 1.</param>
    /// <param name="bias">Whether to add a learned bias.</param>
    /// <param name="seed">A seed for this layer's initial values; omitted, the thread's <see cref="Rng"/> is used.</param>
    /// <exception cref="ArgumentOutOfRangeException">A size is not positive.</exception>
    public Dense(int inputs, int outputs, bool bias = true, int? seed = null)
    {
        if (inputs < 1) throw new ArgumentOutOfRangeException(nameof(inputs), inputs, $"Dense: inputs must be ≥ 1, got {inputs}.");
        if (outputs < 1) throw new ArgumentOutOfRangeException(nameof(outputs), outputs, $"Dense: outputs must be ≥ 1, got {outputs}.");
        Inputs = inputs;
        Outputs = outputs;
        var random = Rng.ForLayer(seed);
        Weight = RegisterParameter("weight", Tensor.Zeros(outputs, inputs));
        Init.KaimingUniform(Weight, random, negativeSlope: Math.Sqrt(5));
        if (bias)
        {
            double bound = 1 / Math.Sqrt(inputs);
            Bias = RegisterParameter("bias", Tensor.RandomUniform([outputs], random, -bound, bound));
        }
    }

    /// <summary>Width of each input row.</summary>
    public int Inputs { get; }

    /// <summary>Number of neurons (width of each output row).</summary>
    public int Outputs { get; }

    /// <summary>The weights, [outputs, inputs]: row j holds neuron j's incoming weights.</summary>
    public Tensor Weight { get; }

    /// <summary>The biases, [outputs], or null when created with <c>bias: false</c>.</summary>
    public Tensor? Bias { get; }

    /// <inheritdoc />
    /// <exception cref="ArgumentException">The input is not [batch, <see cref="Inputs"/>].</exception>
    public override Tensor Forward(Tensor input) => Forward(input, DenseActivation.None);

    /// <summary>A following <see cref="ReLU"/>, <see cref="Sigmoid"/> or <see cref="Tanh"/> is applied in the same pass over the output.</summary>
    Tensor? IFusable.ForwardFused(Module next, Tensor input) => next switch
    {
        ReLU => Forward(input, DenseActivation.Relu),
        Sigmoid => Forward(input, DenseActivation.Sigmoid),
        Tanh => Forward(input, DenseActivation.Tanh),
        _ => null,
    };

    /// <summary>The layer followed by <paramref name="activation"/>, as one fused operation.</summary>
    private Tensor Forward(Tensor input, DenseActivation activation)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Rank != 2 || input.Dims[1] != Inputs)
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                $"{this}: expected input of shape [batch, {Inputs}], got {ShapeMath.Format(input.Dims)}."), nameof(input));
        return Tensor.Linear(input, Weight, Bias, activation);
    }

    static string ISerializableLayer<Dense>.TypeName => "Dense";

    static Dense ISerializableLayer<Dense>.FromArguments(LayerArguments arguments)
    {
        int inputs = arguments.GetInt("inputs"), outputs = arguments.GetInt("outputs");
        bool bias = arguments.GetBool("bias", true);
        arguments.Allocates((long)inputs * outputs + (bias ? outputs : 0));
        return new Dense(inputs, outputs, bias, seed: 0);
    }

    JsonObject ISerializableLayer<Dense>.DescribeArguments() => new() { ["inputs"] = Inputs, ["outputs"] = Outputs, ["bias"] = Bias is not null };

    string IOnnxExportable.ToOnnx(OnnxGraphBuilder graph, string input) => graph.AddNode("Gemm",
        [input, graph.AddInitializer("weight", Weight), Bias is null ? "" : graph.AddInitializer("bias", Bias)], OnnxAttribute.Int("transB", 1));

    OnnxInputShape IOnnxExportable.InputShape => OnnxInputShape.Of(Inputs);

    /// <inheritdoc />
    public override string ToString() => Bias is null ? $"Dense({Inputs}, {Outputs}, bias: false)" : $"Dense({Inputs}, {Outputs})";
}
