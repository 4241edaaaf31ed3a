using System.Numerics;

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
/// momentum buffer; PyTorch, and therefore this class, does not.) <see cref="Optimizer.GetState"/> holds the
/// buffer b as <c>momentum_buffer</c>.
/// </summary>
/// <example>
/// <code>
/// var sgd = new Sgd(model.Parameters(), learningRate: 0.5);
/// sgd.ZeroGrad(); loss.Backward(); sgd.Step();
/// </code>
/// </example>
public sealed class Sgd : Optimizer
{
    private readonly Dictionary<int, Array> _momentumBuffers;

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
        _momentumBuffers = RegisterState("momentum_buffer");
    }

    /// <summary>μ.</summary>
    public double Momentum { get; }

    /// <summary>Whether the Nesterov form is used.</summary>
    public bool Nesterov { get; }

    /// <summary>λ.</summary>
    public double WeightDecay { get; }

    /// <summary>τ.</summary>
    public double Dampening { get; }

    /// <inheritdoc />
    protected override void Update<T>(int index, Span<T> parameter, ReadOnlySpan<T> gradient)
    {
        T rate = T.CreateChecked(LearningRate);
        if (Momentum == 0 && WeightDecay == 0)
        {
            // With λ = μ = 0 the rule below is θ ← θ − η·g alone, which has a fused, multi-core pass of its own.
            DeltaRule.Apply(Parameters[index], parameter, gradient, rate);
            return;
        }
        UpdateWithMomentumOrDecay(index, parameter, gradient, rate);
    }

    /// <summary>
    /// The general rule, a method of its own so that plain SGD does not compile it: the JIT compiler took 3.7-4.2 ms on
    /// the whole of <see cref="Update{T}"/>, inside the first step of a plain fit.
    /// </summary>
    private void UpdateWithMomentumOrDecay<T>(int index, Span<T> parameter, ReadOnlySpan<T> gradient, T rate)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Vector<T> rates = new(rate), decay = new(T.CreateChecked(WeightDecay));
        Vector<T> momentum = new(T.CreateChecked(Momentum)), keep = new(T.CreateChecked(1 - Dampening));
        bool first = !_momentumBuffers.ContainsKey(index);
        var buffer = Momentum != 0 ? State<T>(_momentumBuffers, index) : default;
        for (int i = 0; i < parameter.Length; i += Vector<T>.Count)
        {
            var theta = Lanes.Load<T>(parameter, i);
            var g = Lanes.Load(gradient, i) + decay * theta;
            if (Momentum != 0)
            {
                var b = first ? g : momentum * Lanes.Load<T>(buffer, i) + keep * g;
                Lanes.Store(b, buffer, i);
                g = Nesterov ? g + momentum * b : b;
            }
            Lanes.Store(theta - rates * g, parameter, i);
        }
    }
}
