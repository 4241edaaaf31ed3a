using System.Numerics;

namespace Backprop.Optimizers;

/// <summary>
/// Rescales or clamps gradients in place between <c>Backward()</c> and <c>Step()</c>, as PyTorch's
/// <c>torch.nn.utils.clip_grad_norm_</c> and <c>clip_grad_value_</c>. Parameters without a gradient are skipped.
/// </summary>
/// <example>
/// <code>
/// optimizer.ZeroGrad(); loss.Backward();
/// double norm = GradientClipping.ClipGradNorm(model.Parameters(), maxNorm: 1.0);
/// optimizer.Step();
/// </code>
/// </example>
public static class GradientClipping
{
    // PyTorch's guard against dividing by a zero norm; it also keeps the clipped norm just under maxNorm.
    private const double NormGuard = 1e-6;

    /// <summary>
    /// Scales all gradients together so that their joint norm is at most <paramref name="maxNorm"/>:
    /// ‖g‖ = (Σ over every element of every gradient |gᵢ|^p)^(1/p) (max |gᵢ| for p = ∞), and when
    /// c = maxNorm / (‖g‖ + 10⁻⁶) &lt; 1 every gradient is multiplied by c (in its own dtype).
    /// </summary>
    /// <param name="parameters">The tensors whose <see cref="Tensor.Grad"/> to clip.</param>
    /// <param name="maxNorm">The largest joint norm allowed, ≥ 0.</param>
    /// <param name="normType">p &gt; 0, or <see cref="double.PositiveInfinity"/> for the largest absolute value.</param>
    /// <param name="errorIfNonfinite">Throw when ‖g‖ is NaN or infinite instead of scaling by a NaN or zero factor (PyTorch's default is false).</param>
    /// <returns>‖g‖ before clipping (0 when no parameter has a gradient), computed in float64.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxNorm"/> or <paramref name="normType"/> is out of range.</exception>
    /// <exception cref="InvalidOperationException"><paramref name="errorIfNonfinite"/> is set and ‖g‖ is not finite.</exception>
    public static double ClipGradNorm(IEnumerable<Tensor> parameters, double maxNorm, double normType = 2, bool errorIfNonfinite = false)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        if (!(maxNorm >= 0))
            throw new ArgumentOutOfRangeException(nameof(maxNorm), maxNorm, $"ClipGradNorm: maxNorm must be ≥ 0, got {maxNorm}.");
        if (!(normType > 0))
            throw new ArgumentOutOfRangeException(nameof(normType), normType, $"ClipGradNorm: normType must be > 0 or +∞, got {normType}.");
        var gradients = parameters.Select(p => p.Grad).OfType<Tensor>().ToArray();
        if (gradients.Length == 0) return 0;

        double accumulated = 0;
        foreach (var gradient in gradients)
            accumulated = gradient.DType == DType.Float32
                ? Accumulate<float>(gradient.Span<float>(), normType, accumulated)
                : Accumulate<double>(gradient.Span<double>(), normType, accumulated);
        double totalNorm = double.IsPositiveInfinity(normType) ? accumulated
            : normType == 2 ? Math.Sqrt(accumulated)
            : Math.Pow(accumulated, 1 / normType);

        if (errorIfNonfinite && !double.IsFinite(totalNorm))
            throw new InvalidOperationException(
                $"ClipGradNorm: the total gradient norm of order {normType} is {totalNorm}, so the gradients cannot be clipped; the loss has probably diverged (check the learning rate and the inputs).");
        double coefficient = maxNorm / (totalNorm + NormGuard);
        // Written as !(c ≥ 1) so that a NaN norm scales by NaN, as PyTorch's clamp(max = 1) does.
        if (!(coefficient >= 1))
        {
            foreach (var gradient in gradients)
            {
                if (gradient.DType == DType.Float32) Scale(gradient.Span<float>(), coefficient);
                else Scale(gradient.Span<double>(), coefficient);
            }
        }
        return totalNorm;
    }

    /// <summary>Clamps every gradient element to [−clipValue, clipValue] (NaN stays NaN).</summary>
    /// <param name="parameters">The tensors whose <see cref="Tensor.Grad"/> to clip.</param>
    /// <param name="clipValue">The largest magnitude allowed, finite and ≥ 0.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="clipValue"/> is negative or not finite.</exception>
    public static void ClipGradValue(IEnumerable<Tensor> parameters, double clipValue)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        if (!(clipValue >= 0) || double.IsInfinity(clipValue))
            throw new ArgumentOutOfRangeException(nameof(clipValue), clipValue, $"ClipGradValue: clipValue must be a finite number ≥ 0, got {clipValue}.");
        foreach (var gradient in parameters.Select(p => p.Grad).OfType<Tensor>())
        {
            if (gradient.DType == DType.Float32) Clamp(gradient.Span<float>(), clipValue);
            else Clamp(gradient.Span<double>(), clipValue);
        }
    }

    // Adds Σ|g|^p to the running sum, or takes the running maximum of |g| for p = ∞ (Math.Max keeps a NaN).
    private static double Accumulate<T>(ReadOnlySpan<T> gradient, double normType, double accumulated) where T : unmanaged, IFloatingPointIeee754<T>
    {
        bool infinity = double.IsPositiveInfinity(normType);
        foreach (var element in gradient)
        {
            double magnitude = Math.Abs(double.CreateChecked(element));
            if (infinity) accumulated = Math.Max(accumulated, magnitude);
            else accumulated += normType == 2 ? magnitude * magnitude : Math.Pow(magnitude, normType);
        }
        return accumulated;
    }

    private static void Scale<T>(Span<T> gradient, double coefficient) where T : unmanaged, IFloatingPointIeee754<T>
    {
        T factor = T.CreateChecked(coefficient);
        for (int i = 0; i < gradient.Length; i++) gradient[i] *= factor;
    }

    private static void Clamp<T>(Span<T> gradient, double clipValue) where T : unmanaged, IFloatingPointIeee754<T>
    {
        T high = T.CreateChecked(clipValue), low = -high;
        for (int i = 0; i < gradient.Length; i++)
            if (gradient[i] > high) gradient[i] = high;
            else if (gradient[i] < low) gradient[i] = low;
    }
}
