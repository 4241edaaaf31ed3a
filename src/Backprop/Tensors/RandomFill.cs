namespace Backprop.Tensors;

/// <summary>Draws random values in a fixed order, so that the same seed always gives the same tensor.</summary>
internal static class RandomFill
{
    public static void Uniform(Span<double> values, Random random, double low, double high)
    {
        for (int i = 0; i < values.Length; i++) values[i] = low + (high - low) * random.NextDouble();
    }

    /// <summary>Box–Muller: two uniform draws per pair of normal values.</summary>
    public static void Normal(Span<double> values, Random random, double mean, double std)
    {
        for (int i = 0; i < values.Length; i += 2)
        {
            double u1 = 1.0 - random.NextDouble(); // in (0, 1], so the log is finite
            double u2 = random.NextDouble();
            double radius = Math.Sqrt(-2.0 * Math.Log(u1));
            values[i] = mean + std * radius * Math.Cos(2 * Math.PI * u2);
            if (i + 1 < values.Length) values[i + 1] = mean + std * radius * Math.Sin(2 * Math.PI * u2);
        }
    }
}
