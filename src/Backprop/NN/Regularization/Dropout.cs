using System.Globalization;
using System.Text.Json.Nodes;
using Backprop.IO;
using Backprop.Tensors;

namespace Backprop.NN;

/// <summary>
/// Inverted dropout (PyTorch's <c>nn.Dropout</c>): in training mode each element is zeroed with probability
/// <see cref="Probability"/> and the kept ones are scaled by 1/(1 − p), so y = x ∘ m / (1 − p) with
/// m ~ Bernoulli(1 − p) has the same expectation as x and evaluation needs no rescaling. After
/// <see cref="Module.Eval"/> it is the identity. Backward passes the gradient through the same mask.
/// </summary>
/// <remarks>
/// Masks come from the layer's own generator (SplitMix64, whose whole position is one 64-bit word), seeded
/// from <c>seed</c> or, without one, from <see cref="Rng.Current"/> at construction; the sequence of masks is
/// therefore reproducible and does not depend on what other layers draw during training. Its position is
/// <see cref="GeneratorState"/>, the layer's <see cref="IExtraState"/>: checkpoints save it, so resumed training
/// draws the masks it would have drawn without stopping, and model files keep it, so a loaded model draws them too.
/// </remarks>
/// <example>
/// <code>var model = new Sequential(new Dense(784, 256), new ReLU(), new Dropout(0.5), new Dense(256, 10));</code>
/// </example>
public sealed class Dropout : Module, ISerializableLayer<Dropout>, IOnnxExportable, IExtraState
{
    private SplitMix64 _random;

    /// <summary>Creates the layer.</summary>
    /// <param name="p">The probability of zeroing an element, in [0, 1).</param>
    /// <param name="seed">A seed for this layer's masks; omitted, one is drawn from <see cref="Rng.Current"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="p"/> is outside [0, 1).</exception>
    public Dropout(double p = 0.5, int? seed = null)
    {
        if (!(p >= 0 && p < 1))
            throw new ArgumentOutOfRangeException(nameof(p), p, string.Create(CultureInfo.InvariantCulture,
                $"Dropout: the drop probability p must be in [0, 1), got {p}."));
        Probability = p;
        _random = new SplitMix64(unchecked((ulong)(seed ?? Rng.Current.Next())));
    }

    /// <summary>The probability p of zeroing each element in training mode.</summary>
    public double Probability { get; }

    /// <summary>
    /// The position of this layer's mask generator. Reading it and assigning the value back later makes
    /// the layer draw the same masks again from that point, e.g. after loading a checkpoint into new objects.
    /// </summary>
    /// <example><code>ulong saved = dropout.GeneratorState; dropout.Forward(x); dropout.GeneratorState = saved;   // the next mask repeats</code></example>
    public ulong GeneratorState
    {
        get => _random.State;
        set => _random.State = value;
    }

    /// <inheritdoc />
    public override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (!IsTraining || Probability == 0) return input;
        return Forward(input, SampleKeepMask(input));
    }

    /// <summary>
    /// Applies a given keep mask (1 keeps, 0 drops; the shape and dtype of <paramref name="input"/>):
    /// y = x ∘ mask / (1 − p). Lets tests check gradients with the mask held fixed.
    /// </summary>
    internal Tensor Forward(Tensor input, Tensor keepMask) => input.Multiply(keepMask.MultiplyScalar(1 / (1 - Probability)));

    /// <summary>Draws a fresh mask: each element is 1 with probability 1 − p, else 0.</summary>
    internal Tensor SampleKeepMask(Tensor input)
    {
        var keep = new double[input.Length];
        for (int i = 0; i < keep.Length; i++) keep[i] = _random.NextDouble() >= Probability ? 1 : 0;
        return Tensor.FromArray(keep, input.Shape).ToDType(input.DType);
    }

    static string ISerializableLayer<Dropout>.TypeName => "Dropout";

    static Dropout ISerializableLayer<Dropout>.FromArguments(LayerArguments arguments)
    {
        var dropout = new Dropout(arguments.GetDouble("p", 0.5), seed: 0);
        string state = arguments.GetString("generator_state", "0");
        if (!TryParseGeneratorState(state, out ulong position))
            throw arguments.Error($"argument 'generator_state' must be a decimal integer in 0..{ulong.MaxValue}, got \"{state}\"");
        dropout.GeneratorState = position;
        return dropout;
    }

    /// <summary>The generator's position travels with the model, so a loaded model in training mode draws the saved model's next masks.</summary>
    JsonObject ISerializableLayer<Dropout>.DescribeArguments() => new() { ["p"] = Probability, ["generator_state"] = FormatGeneratorState() };

    /// <summary>Evaluation form: the identity, no node.</summary>
    string IOnnxExportable.ToOnnx(OnnxGraphBuilder graph, string input) => input;

    OnnxInputShape IOnnxExportable.InputShape => OnnxInputShape.KeepsShape;

    JsonNode IExtraState.GetExtraState() => FormatGeneratorState();

    void IExtraState.SetExtraState(JsonNode? state)
    {
        string? text = state is JsonValue value && value.TryGetValue(out string? decimalText) ? decimalText : null;
        if (text is null || !TryParseGeneratorState(text, out ulong position))
            throw new ArgumentException($"{this}: the generator state must be a decimal integer in 0..{ulong.MaxValue}, got {state?.ToJsonString() ?? "nothing"}.", nameof(state));
        GeneratorState = position;
    }

    /// <summary>A decimal string: JSON readers that hold numbers as doubles would round a 64-bit value.</summary>
    private string FormatGeneratorState() => GeneratorState.ToString(CultureInfo.InvariantCulture);

    private static bool TryParseGeneratorState(string text, out ulong position) =>
        ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out position);

    /// <inheritdoc />
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"Dropout(p: {Probability})");
}
