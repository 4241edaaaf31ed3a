using System.Globalization;
using System.Text.Json.Nodes;
using Backprop.IO;
using Backprop.Tensors;

namespace Backprop.NN;

/// <summary>
/// What <see cref="Rnn"/>, <see cref="Lstm"/> and <see cref="Gru"/> share: PyTorch's parameters per layer, the
/// checks on a sequence and its state, and the unrolled loop over time. Each step is an ordinary composition
/// of recorded tensor ops, so backpropagation through time is <see cref="Tensor.Backward"/> over the unrolled
/// graph; truncated backpropagation through time is running chunks of k steps and passing
/// <see cref="RecurrentOutput.DetachState"/> of one chunk as the initial state of the next (see
/// <see cref="TruncatedBptt"/>).
/// </summary>
/// <remarks>
/// Layer l ≥ 1 reads layer l − 1's hidden state. With <c>lengths</c>, step t of a sequence of length
/// L ≤ t is padding: that sequence's state is carried over, h_t = m·h_new + (1 − m)·h_{t−1} with m = 0, and its
/// output is m·h_new = 0, so padding never changes any result or gradient.
/// </remarks>
public abstract class RecurrentLayer : Module
{
    private readonly List<Tensor> _weightsIh = [];
    private readonly List<Tensor> _weightsHh = [];
    private readonly List<Tensor> _biasesIh = [];
    private readonly List<Tensor> _biasesHh = [];

    private protected RecurrentLayer(int inputSize, int hiddenSize, int numLayers, bool bias, bool batchFirst, int gates, int? seed)
    {
        string kind = GetType().Name;
        if (inputSize < 1) throw new ArgumentOutOfRangeException(nameof(inputSize), inputSize, $"{kind}: inputSize must be ≥ 1, got {inputSize}.");
        if (hiddenSize < 1) throw new ArgumentOutOfRangeException(nameof(hiddenSize), hiddenSize, $"{kind}: hiddenSize must be ≥ 1, got {hiddenSize}.");
        if (numLayers < 1) throw new ArgumentOutOfRangeException(nameof(numLayers), numLayers, $"{kind}: numLayers must be ≥ 1, got {numLayers}.");
        (InputSize, HiddenSize, NumLayers, HasBias, BatchFirst) = (inputSize, hiddenSize, numLayers, bias, batchFirst);

        // PyTorch's reset_parameters: every weight and bias uniform in ±1/√hidden, drawn in registration order.
        var random = Rng.ForLayer(seed);
        double bound = 1 / Math.Sqrt(hiddenSize);
        Tensor Draw(params int[] shape) => Tensor.RandomUniform(shape, random, -bound, bound);
        for (int layer = 0; layer < numLayers; layer++)
        {
            int width = layer == 0 ? inputSize : hiddenSize;
            string suffix = layer.ToString(CultureInfo.InvariantCulture);
            _weightsIh.Add(RegisterParameter($"weight_ih_l{suffix}", Draw(gates * hiddenSize, width)));
            _weightsHh.Add(RegisterParameter($"weight_hh_l{suffix}", Draw(gates * hiddenSize, hiddenSize)));
            if (!bias) continue;
            _biasesIh.Add(RegisterParameter($"bias_ih_l{suffix}", Draw(gates * hiddenSize)));
            _biasesHh.Add(RegisterParameter($"bias_hh_l{suffix}", Draw(gates * hiddenSize)));
        }
    }

    /// <summary>Width of each input step.</summary>
    public int InputSize { get; }

    /// <summary>Width H of the hidden state (and of each output step).</summary>
    public int HiddenSize { get; }

    /// <summary>Number of stacked layers.</summary>
    public int NumLayers { get; }

    /// <summary>Whether the layers have the biases b_ih and b_hh.</summary>
    public bool HasBias { get; }

    /// <summary>Whether inputs and outputs are [N, T, …] instead of [T, N, …].</summary>
    public bool BatchFirst { get; }

    /// <summary><c>weight_ih_l{k}</c> for each layer k: [gates·H, input width] (the gates stacked in PyTorch's order).</summary>
    public IReadOnlyList<Tensor> WeightsIh => _weightsIh;

    /// <summary><c>weight_hh_l{k}</c> for each layer k: [gates·H, H].</summary>
    public IReadOnlyList<Tensor> WeightsHh => _weightsHh;

    /// <summary><c>bias_ih_l{k}</c> for each layer k: [gates·H]; empty without bias.</summary>
    public IReadOnlyList<Tensor> BiasesIh => _biasesIh;

    /// <summary><c>bias_hh_l{k}</c> for each layer k: [gates·H]; empty without bias.</summary>
    public IReadOnlyList<Tensor> BiasesHh => _biasesHh;

    /// <summary>Whether the state includes a cell (LSTM).</summary>
    private protected virtual bool HasCell => false;

    /// <summary>
    /// The output sequence for <paramref name="input"/> from a zero state, so the layer fits in a
    /// <see cref="Sequential"/>; <see cref="ForwardWithState"/> takes an initial state and lengths and returns the final state too.
    /// </summary>
    public override Tensor Forward(Tensor input) => ForwardWithState(input).Output;

    /// <summary>
    /// Runs the layers over a sequence. Shapes: input [T, N, InputSize] ([N, T, InputSize] with
    /// <see cref="BatchFirst"/>, or [T, InputSize] unbatched); states [NumLayers, N, H] ([NumLayers, H] unbatched).
    /// </summary>
    /// <param name="input">The sequence, T ≥ 1 steps, of this layer's dtype.</param>
    /// <param name="initialHidden">h₀ for every layer; omitted, zeros. Gradients flow into it if it requires them.</param>
    /// <param name="initialCell">c₀ for every layer (LSTM only); omitted, zeros.</param>
    /// <param name="lengths">
    /// For a padded batch, each sequence's length in 1..T (one per sequence). Steps past a length carry the
    /// state over unchanged and output zeros, so each sequence's results equal running it alone.
    /// </param>
    /// <returns>The output sequence and the final state; see <see cref="RecurrentOutput"/>.</returns>
    /// <exception cref="ArgumentException">A shape, dtype or length does not fit; the message names the layer and the values.</exception>
    public RecurrentOutput ForwardWithState(Tensor input, Tensor? initialHidden = null, Tensor? initialCell = null, int[]? lengths = null)
    {
        ArgumentNullException.ThrowIfNull(input);
        var (steps, batch, batched) = CheckInput(input);
        var stateShape = batched ? new[] { NumLayers, batch, HiddenSize } : [NumLayers, HiddenSize];
        CheckState(initialHidden, stateShape, nameof(initialHidden), input.DType);
        if (initialCell is not null && !HasCell)
            throw new ArgumentException($"{this}: has no cell state; initialCell must be null.", nameof(initialCell));
        CheckState(initialCell, stateShape, nameof(initialCell), input.DType);
        var masks = lengths is null ? null : Masks(lengths, steps, batch, input.DType);

        var sequence = !batched ? input.Reshape(steps, 1, InputSize) : BatchFirst ? input.Permute(1, 0, 2) : input;
        var layerInputs = Enumerable.Range(0, steps).Select(t => sequence.Select(0, t)).ToList();
        var finalHidden = new List<Tensor>(NumLayers);
        var finalCell = new List<Tensor>(NumLayers);
        for (int layer = 0; layer < NumLayers; layer++)
        {
            var hidden = InitialState(initialHidden, layer, batch, input.DType);
            Tensor? cell = HasCell ? InitialState(initialCell, layer, batch, input.DType) : null;
            var outputs = new List<Tensor>(steps);
            for (int t = 0; t < steps; t++)
            {
                var (newHidden, newCell) = Step(layer, layerInputs[t], hidden, cell);
                if (masks?[t] is (Tensor keep, Tensor carry))
                {
                    outputs.Add(newHidden * keep);
                    hidden = newHidden * keep + hidden * carry;
                    cell = newCell is null ? null : newCell * keep + cell! * carry;
                }
                else
                {
                    outputs.Add(newHidden);
                    (hidden, cell) = (newHidden, newCell);
                }
            }
            finalHidden.Add(hidden);
            if (cell is not null) finalCell.Add(cell);
            layerInputs = outputs;
        }

        var output = Tensor.Stack(layerInputs, 0);
        output = !batched ? output.Reshape(steps, HiddenSize) : BatchFirst ? output.Permute(1, 0, 2) : output;
        return new RecurrentOutput(output, StackState(finalHidden, batched), HasCell ? StackState(finalCell, batched) : null);
    }

    /// <summary>
    /// One step of layer <paramref name="layer"/>: from x_t [N, width] and the previous state [N, H] to the new
    /// state (the cell is null except for LSTM).
    /// </summary>
    private protected abstract (Tensor Hidden, Tensor? Cell) Step(int layer, Tensor input, Tensor hidden, Tensor? cell);

    /// <summary>x·W_ihᵀ + b_ih for layer <paramref name="layer"/>: [N, gates·H].</summary>
    private protected Tensor InputProjection(int layer, Tensor input) =>
        Tensor.Linear(input, _weightsIh[layer], HasBias ? _biasesIh[layer] : null);

    /// <summary>h·W_hhᵀ + b_hh for layer <paramref name="layer"/>: [N, gates·H].</summary>
    private protected Tensor HiddenProjection(int layer, Tensor hidden) =>
        Tensor.Linear(hidden, _weightsHh[layer], HasBias ? _biasesHh[layer] : null);

    /// <summary>Gate <paramref name="index"/> (in PyTorch's order) of a [N, gates·H] projection: [N, H].</summary>
    private protected Tensor Gate(Tensor projection, int index) => projection.Narrow(1, index * HiddenSize, HiddenSize);

    /// <inheritdoc />
    public override string ToString()
    {
        var options = new List<string>();
        if (NumLayers != 1) options.Add($"numLayers: {NumLayers}");
        if (!HasBias) options.Add("bias: false");
        if (BatchFirst) options.Add("batchFirst: true");
        options.AddRange(ExtraOptions());
        string extra = options.Count == 0 ? "" : ", " + string.Join(", ", options);
        return $"{GetType().Name}({InputSize}, {HiddenSize}{extra})";
    }

    /// <summary>The model-file arguments the recurrent layers share.</summary>
    private protected JsonObject DescribeArguments() => new()
    {
        ["input_size"] = InputSize, ["hidden_size"] = HiddenSize, ["num_layers"] = NumLayers, ["bias"] = HasBias, ["batch_first"] = BatchFirst,
    };

    /// <summary>Reads what <see cref="DescribeArguments"/> wrote and claims the parameters' elements from the file's budget.</summary>
    private protected static (int Input, int Hidden, int Layers, bool Bias, bool BatchFirst) ReadArguments(LayerArguments arguments, int gates)
    {
        int input = arguments.GetInt("input_size"), hidden = arguments.GetInt("hidden_size"), layers = arguments.GetInt("num_layers", 1);
        bool bias = arguments.GetBool("bias", true), batchFirst = arguments.GetBool("batch_first", false);
        // Layer 0 reads the input, the others the hidden state below; each has W_ih, W_hh and, with bias, b_ih and b_hh.
        long first = LayerArguments.Elements(gates, hidden, input + (long)hidden + (bias ? 2 : 0));
        long rest = LayerArguments.Elements(layers - 1L, gates, hidden, 2L * hidden + (bias ? 2 : 0));
        arguments.Allocates(LayerArguments.Sum(first, rest));
        return (input, hidden, layers, bias, batchFirst);
    }

    /// <summary>Constructor options beyond the shared ones, for <see cref="ToString"/>.</summary>
    private protected virtual IEnumerable<string> ExtraOptions() => [];

    private (int Steps, int Batch, bool Batched) CheckInput(Tensor input)
    {
        string expected = BatchFirst ? $"[N, T, {InputSize}]" : $"[T, N, {InputSize}]";
        if (input.Rank is not (2 or 3) || input.Dims[^1] != InputSize)
            throw new ArgumentException($"{this}: expected input of shape {expected} (or [T, {InputSize}] unbatched), got {ShapeMath.Format(input.Dims)}.", nameof(input));
        if (input.DType != DType)
            throw new ArgumentException($"{this}: input is {input.DType} but the parameters are {DType}; convert one of them (e.g. layer.To(DType.{input.DType})).", nameof(input));
        bool batched = input.Rank == 3;
        int steps = batched && BatchFirst ? input.Dims[1] : input.Dims[0];
        int batch = !batched ? 1 : BatchFirst ? input.Dims[0] : input.Dims[1];
        if (steps == 0)
            throw new ArgumentException($"{this}: the sequence is empty (T = 0, input shape {ShapeMath.Format(input.Dims)}); a recurrent layer needs at least one step.", nameof(input));
        if (batch == 0)
            throw new ArgumentException($"{this}: the batch is empty (N = 0, input shape {ShapeMath.Format(input.Dims)}).", nameof(input));
        return (steps, batch, batched);
    }

    private void CheckState(Tensor? state, int[] expected, string name, DType dtype)
    {
        if (state is null) return;
        if (!state.Dims.AsSpan().SequenceEqual(expected))
            throw new ArgumentException($"{this}: {name} must have shape {ShapeMath.Format(expected)} ([layers, N, hidden]), got {ShapeMath.Format(state.Dims)}.", name);
        if (state.DType != dtype)
            throw new ArgumentException($"{this}: {name} is {state.DType} but the input is {dtype}.", name);
    }

    /// <summary>Per step, (m, 1 − m) as [N, 1] columns, or null where every sequence is still running.</summary>
    private (Tensor Keep, Tensor Carry)?[] Masks(int[] lengths, int steps, int batch, DType dtype)
    {
        if (lengths.Length != batch)
            throw new ArgumentException($"{this}: {lengths.Length} lengths given for a batch of {batch} sequences.", nameof(lengths));
        for (int i = 0; i < batch; i++)
            if (lengths[i] < 1 || lengths[i] > steps)
                throw new ArgumentOutOfRangeException(nameof(lengths), lengths[i], $"{this}: length {lengths[i]} of sequence {i} is outside 1..{steps} (the input has T = {steps} steps).");
        var masks = new (Tensor, Tensor)?[steps];
        for (int t = 0; t < steps; t++)
        {
            if (lengths.All(length => length > t)) continue;
            var keep = lengths.Select(length => length > t ? 1.0 : 0.0).ToArray();
            masks[t] = (Tensor.FromArray(keep, batch, 1).ToDType(dtype), Tensor.FromArray(keep.Select(k => 1 - k).ToArray(), batch, 1).ToDType(dtype));
        }
        return masks;
    }

    private Tensor InitialState(Tensor? state, int layer, int batch, DType dtype) =>
        state is null ? Tensor.Zeros(dtype, batch, HiddenSize) : state.Select(0, layer).Reshape(batch, HiddenSize);

    private Tensor StackState(List<Tensor> perLayer, bool batched)
    {
        var stacked = Tensor.Stack(perLayer, 0);
        return batched ? stacked : stacked.Reshape(NumLayers, HiddenSize);
    }
}
