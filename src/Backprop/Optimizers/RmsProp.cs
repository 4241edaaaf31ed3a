using System.Numerics;

namespace Backprop.Optimizers;

/// <summary>
/// RMSprop (Hinton's lecture 6e) as PyTorch's <c>torch.optim.RMSprop</c> computes it. With gradient g, parameter θ
/// and learning rate γ:
/// <code>
/// g ← g + λθ                                  (L2 weight decay λ)
/// v ← α·v + (1 − α)·g²                        (v₀ = 0)
/// centered: ḡ ← α·ḡ + (1 − α)·g, d = √(v − ḡ²) + ε     else d = √v + ε
/// momentum μ &gt; 0: b ← μ·b + g/d, θ ← θ − γ·b     (b₀ = 0)
/// else:          θ ← θ − γ·g/d
/// </code>
/// ε is added outside the square root. All arithmetic is in the parameter's dtype. <see cref="Optimizer.GetState"/>
/// holds <c>square_avg</c> (v), <c>grad_avg</c> (ḡ, centered only), <c>momentum_buffer</c> (b, μ &gt; 0 only) and <c>step</c>.
/// </summary>
/// <example>
/// <code>
/// var rmsProp = new RmsProp(model.Parameters(), learningRate: 1e-2, momentum: 0.9, centered: true);
/// </code>
/// </example>
public sealed class RmsProp : Optimizer
{
    private readonly Dictionary<int, Array> _squareAverages, _gradientAverages, _momentumBuffers;

    /// <summary>Creates the optimiser.</summary>
    /// <param name="parameters">The tensors to update.</param>
    /// <param name="learningRate">γ ≥ 0.</param>
    /// <param name="alpha">α in [0, 1], the smoothing constant of the averages.</param>
    /// <param name="epsilon">ε ≥ 0, added to the denominator.</param>
    /// <param name="weightDecay">λ ≥ 0, the L2 penalty coefficient.</param>
    /// <param name="momentum">μ ≥ 0; 0 disables momentum.</param>
    /// <param name="centered">Normalise by the estimated variance v − ḡ² instead of the raw second moment.</param>
    /// <exception cref="ArgumentOutOfRangeException">An argument is outside its range; the message quotes it.</exception>
    public RmsProp(IEnumerable<Tensor> parameters, double learningRate = 1e-2, double alpha = 0.99, double epsilon = 1e-8,
        double weightDecay = 0, double momentum = 0, bool centered = false)
        : base(parameters, learningRate)
    {
        Alpha = UnitInterval(alpha, nameof(alpha), allowOne: true);
        Epsilon = NonNegative(epsilon, nameof(epsilon));
        WeightDecay = NonNegative(weightDecay, nameof(weightDecay));
        Momentum = NonNegative(momentum, nameof(momentum));
        Centered = centered;
        _squareAverages = RegisterState("square_avg");
        _gradientAverages = RegisterState("grad_avg");
        _momentumBuffers = RegisterState("momentum_buffer");
    }

    /// <summary>α.</summary>
    public double Alpha { get; }

    /// <summary>ε.</summary>
    public double Epsilon { get; }

    /// <summary>λ.</summary>
    public double WeightDecay { get; }

    /// <summary>μ.</summary>
    public double Momentum { get; }

    /// <summary>Whether the centred (variance) form is used.</summary>
    public bool Centered { get; }

    /// <inheritdoc />
    protected override void Update<T>(int index, Span<T> parameter, ReadOnlySpan<T> gradient)
    {
        Vector<T> rate = new(T.CreateChecked(LearningRate)), alpha = new(T.CreateChecked(Alpha)), keep = new(T.CreateChecked(1 - Alpha));
        Vector<T> epsilon = new(T.CreateChecked(Epsilon)), decay = new(T.CreateChecked(WeightDecay)), momentum = new(T.CreateChecked(Momentum));
        var squareAverage = State<T>(_squareAverages, index);
        var gradientAverage = Centered ? State<T>(_gradientAverages, index) : default;
        var buffer = Momentum != 0 ? State<T>(_momentumBuffers, index) : default;
        for (int i = 0; i < parameter.Length; i += Vector<T>.Count)
        {
            var theta = Lanes.Load<T>(parameter, i);
            var g = Lanes.Load(gradient, i) + decay * theta;
            var variance = alpha * Lanes.Load<T>(squareAverage, i) + keep * g * g;
            Lanes.Store(variance, squareAverage, i);
            if (Centered)
            {
                var average = alpha * Lanes.Load<T>(gradientAverage, i) + keep * g;
                Lanes.Store(average, gradientAverage, i);
                variance -= average * average;
            }
            var denominator = Vector.SquareRoot(variance) + epsilon;
            if (Momentum != 0)
            {
                var b = momentum * Lanes.Load<T>(buffer, i) + g / denominator;
                Lanes.Store(b, buffer, i);
                theta -= rate * b;
            }
            else theta -= rate * (g / denominator);
            Lanes.Store(theta, parameter, i);
        }
    }
}
