using System.Globalization;

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

    /// <summary>Throws unless a span holds exactly the product of <paramref name="dimensions"/> elements.</summary>
    /// <param name="actual">The span's length.</param>
    /// <param name="name">The parameter name.</param>
    /// <param name="shape">
    /// A composite format naming each dimension, e.g. <c>"[C={0}, H={1}, W={2}]"</c>; it is only
    /// formatted on failure, so the check costs no allocation on every kernel call.
    /// </param>
    /// <param name="dimensions">The sizes whose product the length must equal.</param>
    public static void RequireLength(int actual, string name, string shape, params ReadOnlySpan<int> dimensions)
    {
        long expected = 1;
        foreach (int dimension in dimensions)
        {
            expected *= dimension;
        }

        if (actual != expected)
        {
            object[] values = new object[dimensions.Length];
            for (int k = 0; k < values.Length; k++)
            {
                values[k] = dimensions[k];
            }

            string described = string.Format(CultureInfo.InvariantCulture, shape, values);
            throw new ArgumentException($"{name} must hold {described} = {expected} elements but holds {actual}.", name);
        }
    }
}
