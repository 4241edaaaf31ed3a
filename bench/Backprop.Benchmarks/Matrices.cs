using System.Numerics;

namespace Backprop.Benchmarks;

/// <summary>Benchmark operands.</summary>
internal static class Matrices
{
    /// <summary>Values uniform in [−1, 1).</summary>
    public static T[] Random<T>(Random random, int length)
        where T : IFloatingPoint<T>
    {
        var values = new T[length];
        for (int i = 0; i < length; i++)
        {
            values[i] = T.CreateChecked((random.NextDouble() * 2) - 1);
        }

        return values;
    }
}
