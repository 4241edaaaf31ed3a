namespace Backprop.Kernels;

/// <summary>Argument checks shared by the kernels, so a wrong buffer fails before any element is written.</summary>
internal static class KernelChecks
{
    /// <summary>Throws unless <paramref name="count"/> is at least 1.</summary>
    public static void RequirePositive(int count, string name)
    {
        if (count < 1)
        {
            throw new ArgumentOutOfRangeException(name, count, $"{name} must be at least 1 but was {count}.");
        }
    }

    /// <summary>Throws unless a span holds exactly the elements its shape implies.</summary>
    /// <param name="actual">The span's length.</param>
    /// <param name="expected">The product of the shape, computed in <see cref="long"/> so it cannot wrap.</param>
    /// <param name="name">The parameter name.</param>
    /// <param name="shape">The expected shape with its values, e.g. <c>[C=3, H=5, W=4]</c>.</param>
    public static void RequireLength(int actual, long expected, string name, string shape)
    {
        if (actual != expected)
        {
            throw new ArgumentException(
                $"{name} must hold {shape} = {expected} elements but holds {actual}.", name);
        }
    }
}
