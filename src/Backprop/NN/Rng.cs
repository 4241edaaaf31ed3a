namespace Backprop.NN;

/// <summary>
/// The per-thread random generator that layers draw their initial weights from when no seed is given
/// (as PyTorch's global generator). It starts from seed 0, so programs are reproducible by default;
/// <see cref="ManualSeed"/> restarts it.
/// </summary>
public static class Rng
{
    [ThreadStatic] private static Random? t_current;

    /// <summary>The generator of the current thread.</summary>
    public static Random Current => t_current ??= new Random(0);

    /// <summary>Restarts the current thread's generator from <paramref name="seed"/> (as <c>torch.manual_seed</c>).</summary>
    public static void ManualSeed(int seed) => t_current = new Random(seed);

    /// <summary>Where a layer draws its initial values: its own generator when given a seed, else the thread's.</summary>
    internal static Random ForLayer(int? seed) => seed is int value ? new Random(value) : Current;
}
