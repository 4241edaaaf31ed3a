using System.Numerics;

namespace Backprop.Optimizers;

/// <summary>
/// Adam (Kingma &amp; Ba, 2015) as PyTorch's <c>torch.optim.Adam</c> computes it. With gradient g, parameter θ,
/// learning rate γ and the parameter's own update count t = 1, 2, …:
/// <code>
/// g ← g + λθ                                  (L2 weight decay λ, added to the gradient)
/// m ← β1·m + (1 − β1)·g                       (m₀ = 0)
/// v ← β2·v + (1 − β2)·g²                      (v₀ = 0)
/// amsgrad: v_max ← max(v_max, v), else v_max = v
/// θ ← θ − (γ / (1 − β1ᵗ)) · m / (√v_max / √(1 − β2ᵗ) + ε)
/// </code>
/// which is γ·m̂/(√v̂ + ε) with the bias-corrected m̂ = m/(1 − β1ᵗ), v̂ = v_max/(1 − β2ᵗ): ε is added after the
/// bias correction. With amsgrad the running maximum is taken over the uncorrected v and corrected afterwards,
/// as PyTorch's implementation does. The bias corrections are computed in float64 (Python floats in PyTorch);
/// everything else is in the parameter's dtype. <see cref="Optimizer.GetState"/> holds <c>exp_avg</c> (m),
/// <c>exp_avg_sq</c> (v), <c>max_exp_avg_sq</c> (amsgrad only) and <c>step</c> (t).
/// </summary>
/// <example>
/// <code>
/// var adam = new Adam(model.Parameters(), learningRate: 1e-3);
/// adam.ZeroGrad(); loss.Backward(); adam.Step();
/// </code>
/// </example>
public class Adam : Optimizer
{
    private readonly Dictionary<int, Array> _firstMoments, _secondMoments, _maxSecondMoments;
    private readonly bool _decoupledWeightDecay;

    /// <summary>Creates the optimiser.</summary>
    /// <param name="parameters">The tensors to update.</param>
    /// <param name="learningRate">γ ≥ 0.</param>
    /// <param name="beta1">β1 in [0, 1), decay of the gradient average.</param>
    /// <param name="beta2">β2 in [0, 1), decay of the squared-gradient average.</param>
    /// <param name="epsilon">ε ≥ 0, added to the denominator.</param>
    /// <param name="weightDecay">λ ≥ 0, the L2 penalty coefficient.</param>
    /// <param name="amsgrad">Divide by the running maximum of v (Reddi et al., 2018).</param>
    /// <exception cref="ArgumentOutOfRangeException">An argument is outside its range; the message quotes it.</exception>
    public Adam(IEnumerable<Tensor> parameters, double learningRate = 1e-3, double beta1 = 0.9, double beta2 = 0.999,
        double epsilon = 1e-8, double weightDecay = 0, bool amsgrad = false)
        : this(parameters, learningRate, beta1, beta2, epsilon, weightDecay, amsgrad, decoupledWeightDecay: false)
    {
    }

    private protected Adam(IEnumerable<Tensor> parameters, double learningRate, double beta1, double beta2,
        double epsilon, double weightDecay, bool amsgrad, bool decoupledWeightDecay)
        : base(parameters, learningRate)
    {
        Beta1 = UnitInterval(beta1, nameof(beta1));
        Beta2 = UnitInterval(beta2, nameof(beta2));
        Epsilon = NonNegative(epsilon, nameof(epsilon));
        WeightDecay = NonNegative(weightDecay, nameof(weightDecay));
        Amsgrad = amsgrad;
        _decoupledWeightDecay = decoupledWeightDecay;
        _firstMoments = RegisterState("exp_avg");
        _secondMoments = RegisterState("exp_avg_sq");
        _maxSecondMoments = RegisterState("max_exp_avg_sq");
    }

    /// <summary>β1.</summary>
    public double Beta1 { get; }

    /// <summary>β2.</summary>
    public double Beta2 { get; }

    /// <summary>ε.</summary>
    public double Epsilon { get; }

    /// <summary>λ.</summary>
    public double WeightDecay { get; }

    /// <summary>Whether the AMSGrad maximum is used.</summary>
    public bool Amsgrad { get; }

    /// <inheritdoc />
    protected override void Update<T>(int index, Span<T> parameter, ReadOnlySpan<T> gradient)
    {
        long step = ParameterStepCount(index);
        Vector<T> stepSize = new(T.CreateChecked(LearningRate / (1 - Math.Pow(Beta1, step))));
        Vector<T> correction2Sqrt = new(T.CreateChecked(Math.Sqrt(1 - Math.Pow(Beta2, step))));
        Vector<T> beta1 = new(T.CreateChecked(Beta1)), beta2 = new(T.CreateChecked(Beta2));
        Vector<T> keep1 = new(T.CreateChecked(1 - Beta1)), keep2 = new(T.CreateChecked(1 - Beta2));
        Vector<T> epsilon = new(T.CreateChecked(Epsilon)), decay = new(T.CreateChecked(WeightDecay));
        Vector<T> shrink = new(T.CreateChecked(1 - LearningRate * WeightDecay));
        var m = State<T>(_firstMoments, index);
        var v = State<T>(_secondMoments, index);
        var vMax = Amsgrad ? State<T>(_maxSecondMoments, index) : default;
        for (int i = 0; i < parameter.Length; i += Vector<T>.Count)
        {
            var theta = Lanes.Load<T>(parameter, i);
            var g = Lanes.Load(gradient, i);
            if (_decoupledWeightDecay) theta *= shrink;
            else if (WeightDecay != 0) g += decay * theta;
            var first = beta1 * Lanes.Load<T>(m, i) + keep1 * g;
            var second = beta2 * Lanes.Load<T>(v, i) + keep2 * g * g;
            Lanes.Store(first, m, i);
            Lanes.Store(second, v, i);
            var denominatorSquare = second;
            if (Amsgrad)
            {
                denominatorSquare = Vector.Max(Lanes.Load<T>(vMax, i), second);
                Lanes.Store(denominatorSquare, vMax, i);
            }
            Lanes.Store(theta - stepSize * (first / (Vector.SquareRoot(denominatorSquare) / correction2Sqrt + epsilon)), parameter, i);
        }
    }
}
