using System.Numerics;

namespace Backprop.Optimizers;

/// <summary>
/// Adagrad (Duchi et al., 2011) as PyTorch's <c>torch.optim.Adagrad</c> computes it. With gradient g, parameter θ,
/// learning rate γ and the parameter's own update count t = 1, 2, …:
/// <code>
/// γ̃ = γ / (1 + (t − 1)·η)                     (learning-rate decay η, in float64)
/// g ← g + λθ                                  (L2 weight decay λ)
/// s ← s + g²                                  (s₀ = initial accumulator value)
/// θ ← θ − γ̃ · g / (√s + ε)
/// </code>
/// ε is added outside the square root. <see cref="Optimizer.GetState"/> holds <c>sum</c> (s) and <c>step</c> (t).
/// </summary>
/// <example>
/// <code>
/// var adagrad = new Adagrad(model.Parameters(), learningRate: 1e-2);
/// </code>
/// </example>
public sealed class Adagrad : Optimizer
{
    private readonly Dictionary<int, Array> _sums;

    /// <summary>Creates the optimiser.</summary>
    /// <param name="parameters">The tensors to update.</param>
    /// <param name="learningRate">γ ≥ 0.</param>
    /// <param name="learningRateDecay">η ≥ 0; the effective rate is γ/(1 + (t − 1)η).</param>
    /// <param name="weightDecay">λ ≥ 0, the L2 penalty coefficient.</param>
    /// <param name="initialAccumulatorValue">s₀ ≥ 0, the starting value of every squared-gradient sum.</param>
    /// <param name="epsilon">ε ≥ 0, added to the denominator.</param>
    /// <exception cref="ArgumentOutOfRangeException">An argument is outside its range; the message quotes it.</exception>
    public Adagrad(IEnumerable<Tensor> parameters, double learningRate = 1e-2, double learningRateDecay = 0, double weightDecay = 0,
        double initialAccumulatorValue = 0, double epsilon = 1e-10)
        : base(parameters, learningRate)
    {
        LearningRateDecay = NonNegative(learningRateDecay, nameof(learningRateDecay));
        WeightDecay = NonNegative(weightDecay, nameof(weightDecay));
        InitialAccumulatorValue = NonNegative(initialAccumulatorValue, nameof(initialAccumulatorValue));
        Epsilon = NonNegative(epsilon, nameof(epsilon));
        _sums = RegisterState("sum");
    }

    /// <summary>η.</summary>
    public double LearningRateDecay { get; }

    /// <summary>λ.</summary>
    public double WeightDecay { get; }

    /// <summary>s₀.</summary>
    public double InitialAccumulatorValue { get; }

    /// <summary>ε.</summary>
    public double Epsilon { get; }

    /// <inheritdoc />
    protected override void Update<T>(int index, Span<T> parameter, ReadOnlySpan<T> gradient)
    {
        bool first = !_sums.ContainsKey(index);
        var sum = State<T>(_sums, index);
        // PyTorch fills the sum when the optimiser is built; creating it on first use gives the same value.
        if (first) sum.Fill(T.CreateChecked(InitialAccumulatorValue));
        Vector<T> rate = new(T.CreateChecked(LearningRate / (1 + (ParameterStepCount(index) - 1) * LearningRateDecay)));
        Vector<T> epsilon = new(T.CreateChecked(Epsilon)), decay = new(T.CreateChecked(WeightDecay));
        for (int i = 0; i < parameter.Length; i += Vector<T>.Count)
        {
            var theta = Lanes.Load<T>(parameter, i);
            var g = Lanes.Load(gradient, i) + decay * theta;
            var total = Lanes.Load<T>(sum, i) + g * g;
            Lanes.Store(total, sum, i);
            Lanes.Store(theta - rate * (g / (Vector.SquareRoot(total) + epsilon)), parameter, i);
        }
    }
}
