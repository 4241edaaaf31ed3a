namespace Backprop.Optimizers;

/// <summary>
/// Adam with decoupled weight decay (Loshchilov &amp; Hutter, 2019) as PyTorch's <c>torch.optim.AdamW</c>: the
/// parameter shrinks before the Adam step instead of the penalty entering the gradient. With learning rate γ and
/// weight decay λ, at the parameter's update count t:
/// <code>
/// θ ← θ − γλθ                                 (decoupled decay, first, as PyTorch orders it)
/// m ← β1·m + (1 − β1)·g
/// v ← β2·v + (1 − β2)·g²
/// amsgrad: v_max ← max(v_max, v), else v_max = v
/// θ ← θ − (γ / (1 − β1ᵗ)) · m / (√v_max / √(1 − β2ᵗ) + ε)
/// </code>
/// Everything else (state names, precision) is as in <see cref="Adam"/>. Note that the decay is scaled by the current
/// γ, so learning-rate schedules scale it too, as in PyTorch.
/// </summary>
/// <example>
/// <code>
/// var adamW = new AdamW(model.Parameters(), learningRate: 1e-3, weightDecay: 1e-2);
/// </code>
/// </example>
public sealed class AdamW : Adam
{
    /// <summary>Creates the optimiser.</summary>
    /// <param name="parameters">The tensors to update.</param>
    /// <param name="learningRate">γ ≥ 0.</param>
    /// <param name="beta1">β1 in [0, 1).</param>
    /// <param name="beta2">β2 in [0, 1).</param>
    /// <param name="epsilon">ε ≥ 0.</param>
    /// <param name="weightDecay">λ ≥ 0, the decoupled decay coefficient.</param>
    /// <param name="amsgrad">Divide by the running maximum of v.</param>
    /// <exception cref="ArgumentOutOfRangeException">An argument is outside its range; the message quotes it.</exception>
    public AdamW(IEnumerable<Tensor> parameters, double learningRate = 1e-3, double beta1 = 0.9, double beta2 = 0.999,
        double epsilon = 1e-8, double weightDecay = 1e-2, bool amsgrad = false)
        : base(parameters, learningRate, beta1, beta2, epsilon, weightDecay, amsgrad, decoupledWeightDecay: true)
    {
    }
}
