namespace Backprop.Autograd;

/// <summary>The outcome of a <see cref="GradCheck"/>: how far backpropagated gradients are from finite differences.</summary>
/// <param name="MaxRelativeError">max |analytic − numeric| / max(|analytic|, |numeric|, <see cref="GradCheck.RelativeFloor"/>) over every checked element.</param>
/// <param name="MaxAbsoluteError">max |analytic − numeric|.</param>
/// <param name="WorstElement">Which input and element gave <paramref name="MaxRelativeError"/>, with both values.</param>
/// <param name="ElementsChecked">How many scalar partial derivatives were compared.</param>
public sealed record GradCheckResult(double MaxRelativeError, double MaxAbsoluteError, string WorstElement, int ElementsChecked)
{
    /// <summary>Whether <see cref="MaxRelativeError"/> is below <paramref name="tolerance"/>.</summary>
    public bool Passed(double tolerance = 1e-6) => MaxRelativeError < tolerance;
}

/// <summary>
/// Checks backpropagation against central finite differences in float64. A non-scalar output f is
/// reduced to L = Σ f ∘ R with a fixed random R, so one backward pass checks the whole vector–Jacobian
/// product; ∂L/∂xᵢ is then estimated by the five-point central difference
/// (−L(x+2h) + 8L(x+h) − 8L(x−h) + L(x−2h)) / 12h, whose error is O(h⁴).
/// </summary>
/// <example>
/// <code>
/// var x = Tensor.RandomNormal([3, 4], seed: 1, dtype: DType.Float64);
/// var result = GradCheck.Run(inputs => inputs[0].Tanh().Sum(), x);
/// Console.WriteLine(result.MaxRelativeError);   // ~1e-11
/// </code>
/// </example>
public static class GradCheck
{
    /// <summary>Derivatives smaller than this are compared absolutely, since their relative error is noise.</summary>
    public const double RelativeFloor = 1e-3;

    /// <summary>Checks ∂f/∂input for every input; each input must be float64.</summary>
    public static GradCheckResult Run(Func<Tensor[], Tensor> function, params Tensor[] inputs)
    {
        ArgumentNullException.ThrowIfNull(function);
        foreach (var input in inputs) input.RequiresGrad = true;
        return Run(() => function(inputs), inputs);
    }

    /// <summary>
    /// Checks ∂f/∂w for every tensor w in <paramref name="withRespectTo"/> (e.g. a model's parameters, all
    /// float64 and requiring gradients); <paramref name="function"/> recomputes the output from them.
    /// </summary>
    public static GradCheckResult Run(Func<Tensor> function, IReadOnlyList<Tensor> withRespectTo, double step = 1e-4)
    {
        ArgumentNullException.ThrowIfNull(function);
        ArgumentNullException.ThrowIfNull(withRespectTo);
        if (!(step > 0)) throw new ArgumentOutOfRangeException(nameof(step), step, "GradCheck: the finite-difference step must be > 0.");
        for (int i = 0; i < withRespectTo.Count; i++)
        {
            if (withRespectTo[i].DType != DType.Float64)
                throw new ArgumentException($"GradCheck: input {i} is {withRespectTo[i].DType}; finite differences need Float64 to be meaningful.");
            if (!withRespectTo[i].RequiresGrad)
                throw new ArgumentException($"GradCheck: input {i} does not require gradients.");
        }

        var probe = function();
        var projection = Tensor.RandomUniform(probe.Dims, seed: 12345, low: -1, high: 1, dtype: DType.Float64);
        double Objective()
        {
            using (Tensor.NoGrad()) return function().Multiply(projection).Sum().Item();
        }

        foreach (var w in withRespectTo) w.Grad = null;
        function().Multiply(projection).Sum().Backward();

        double maxRelative = 0, maxAbsolute = 0;
        string worst = "none";
        int checkedCount = 0;
        for (int t = 0; t < withRespectTo.Count; t++)
        {
            var w = withRespectTo[t];
            var values = w.Span<double>();
            var analytic = w.Grad?.ToDoubleArray() ?? new double[w.Length];
            for (int i = 0; i < w.Length; i++)
            {
                double original = values[i];
                double At(double offset)
                {
                    w.Span<double>()[i] = original + offset;
                    w.MarkChanged();
                    return Objective();
                }
                double numeric = (-At(2 * step) + 8 * At(step) - 8 * At(-step) + At(-2 * step)) / (12 * step);
                values[i] = original;
                w.MarkChanged();

                double absolute = Math.Abs(analytic[i] - numeric);
                double relative = absolute / Math.Max(Math.Max(Math.Abs(analytic[i]), Math.Abs(numeric)), RelativeFloor);
                if (double.IsNaN(relative)) relative = double.PositiveInfinity;
                maxAbsolute = Math.Max(maxAbsolute, absolute);
                if (relative >= maxRelative)
                {
                    maxRelative = relative;
                    worst = $"input {t} element {i}: analytic {analytic[i]:G10}, numeric {numeric:G10}";
                }
                checkedCount++;
            }
        }
        return new GradCheckResult(maxRelative, maxAbsolute, worst, checkedCount);
    }
}
