using System.Numerics;
using System.Numerics.Tensors;

namespace Backprop.Optimizers;

/// <summary>
/// Stochastic gradient descent with optional momentum, Nesterov momentum and L2 weight decay, exactly as
/// PyTorch's <c>torch.optim.SGD</c>. With gradient g and parameter θ at step t:
/// <code>
/// g ← g + λθ                                   (weight decay λ)
/// b ← g at t = 1, else b ← μb + (1 − τ)g         (momentum μ, dampening τ)
/// g ← g + μb if nesterov, else g ← b           (only when μ ≠ 0)
/// θ ← θ − η·g                                  (learning rate η)
/// </code>
/// Without momentum this is the textbook delta rule θ ← θ − η·∂E/∂θ. (Sutskever et al. put η inside the
/// momentum buffer; PyTorch, and therefore this class, does not.)
/// </summary>
/// <example>
/// <code>
/// var sgd = new Sgd(model.Parameters(), learningRate: 0.5);
/// sgd.ZeroGrad(); loss.Backward(); sgd.Step();
/// </code>
/// </example>
public sealed class Sgd : Optimizer
{
    private readonly Dictionary<int, Array> _momentumBuffers = [];

    /// <summary>Creates the optimiser.</summary>
    /// <param name="parameters">The tensors to update.</param>
    /// <param name="learningRate">η ≥ 0.</param>
    /// <param name="momentum">μ ≥ 0; 0 disables momentum.</param>
    /// <param name="nesterov">Use Nesterov momentum (needs μ &gt; 0 and no dampening).</param>
    /// <param name="weightDecay">λ ≥ 0, the L2 penalty coefficient.</param>
    /// <param name="dampening">τ ≥ 0, damping of the momentum buffer's new gradient.</param>
    public Sgd(IEnumerable<Tensor> parameters, double learningRate, double momentum = 0, bool nesterov = false, double weightDecay = 0, double dampening = 0)
        : base(parameters, learningRate)
    {
        Momentum = NonNegative(momentum, nameof(momentum));
        WeightDecay = NonNegative(weightDecay, nameof(weightDecay));
        Dampening = NonNegative(dampening, nameof(dampening));
        if (nesterov && (momentum <= 0 || dampening != 0))
            throw new ArgumentException($"Sgd: Nesterov momentum needs momentum > 0 and dampening = 0, got momentum {momentum} and dampening {dampening}.", nameof(nesterov));
        Nesterov = nesterov;
    }

    /// <summary>μ.</summary>
    public double Momentum { get; }

    /// <summary>Whether the Nesterov form is used.</summary>
    public bool Nesterov { get; }

    /// <summary>λ.</summary>
    public double WeightDecay { get; }

    /// <summary>τ.</summary>
    public double Dampening { get; }

    /// <summary>The step count and each parameter's <c>"momentum_buffer"</c> (PyTorch's name), once it exists.</summary>
    public override OptimizerState GetState()
    {
        var state = base.GetState();
        foreach (var (index, buffer) in _momentumBuffers)
        {
            state.Buffers[index] = new() { [MomentumBufferName] = buffer is float[] single ? Array.ConvertAll(single, v => (double)v) : (double[])buffer.Clone() };
        }
        return state;
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentException">Also when a buffer other than <c>"momentum_buffer"</c> is given.</exception>
    public override void LoadState(OptimizerState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        foreach (var (index, buffers) in state.Buffers)
            foreach (var name in buffers.Keys)
                if (name != MomentumBufferName)
                    throw new ArgumentException($"Sgd: unknown state buffer '{name}' for parameter {index}; Sgd keeps only '{MomentumBufferName}'.", nameof(state));
        base.LoadState(state);
        _momentumBuffers.Clear();
        foreach (var (index, buffers) in state.Buffers)
        {
            double[] values = buffers[MomentumBufferName];
            // Float64 → float32 is exact here because the values were float32 when saved.
            _momentumBuffers[index] = Parameters[index].DType == DType.Float32 ? Array.ConvertAll(values, v => (float)v) : (double[])values.Clone();
        }
    }

    private const string MomentumBufferName = "momentum_buffer";

    /// <inheritdoc />
    protected override void Update<T>(int index, Span<T> parameter, ReadOnlySpan<T> gradient)
    {
        T rate = T.CreateChecked(LearningRate);
        if (Momentum == 0 && WeightDecay == 0)
        {
            // θ ← θ − η·g in one fused pass.
            TensorPrimitives.MultiplyAdd(gradient, -rate, parameter, parameter);
            return;
        }
        T decay = T.CreateChecked(WeightDecay), momentum = T.CreateChecked(Momentum), keep = T.CreateChecked(1 - Dampening);
        bool first = !_momentumBuffers.ContainsKey(index);
        var buffer = Momentum != 0 ? State<T>(_momentumBuffers, index) : default;
        for (int i = 0; i < parameter.Length; i++)
        {
            T g = gradient[i] + decay * parameter[i];
            if (Momentum != 0)
            {
                buffer[i] = first ? g : momentum * buffer[i] + keep * g;
                g = Nesterov ? g + momentum * buffer[i] : buffer[i];
            }
            parameter[i] -= rate * g;
        }
    }
}
