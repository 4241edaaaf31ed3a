namespace Backprop.Ops;

/// <summary>Functions the base library lacks, to full double precision.</summary>
internal static class SpecialFunctions
{
    /// <summary>
    /// The error function. Its Maclaurin series for |x| &lt; 3 (converges with at most ~4 digits of
    /// cancellation there), and 1 − erfc(x) by the Laplace continued fraction beyond, where the series
    /// would cancel badly and the fraction converges fast.
    /// </summary>
    public static double Erf(double x)
    {
        if (double.IsNaN(x)) return double.NaN;
        double ax = Math.Abs(x);
        double result = ax < 3 ? ErfSeries(ax) : 1 - ErfcContinuedFraction(ax);
        return x < 0 ? -result : result;
    }

    private static double ErfSeries(double x)
    {
        // erf(x) = 2/√π · Σ (−1)ⁿ x²ⁿ⁺¹ / (n! (2n + 1))
        double term = x, sum = x, x2 = x * x;
        for (int n = 1; n < 200; n++)
        {
            term *= -x2 / n;
            double contribution = term / (2 * n + 1);
            sum += contribution;
            if (Math.Abs(contribution) < 1e-17 * Math.Abs(sum)) break;
        }
        return 2 / Math.Sqrt(Math.PI) * sum;
    }

    private static double ErfcContinuedFraction(double x)
    {
        // erfc(x) = e^(−x²)/√π · 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + 2/(x + …))))), evaluated from the tail.
        if (x > 27) return 0;
        double fraction = x;
        for (int n = 60; n >= 1; n--) fraction = x + n / 2.0 / fraction;
        return Math.Exp(-x * x) / Math.Sqrt(Math.PI) / fraction;
    }
}
