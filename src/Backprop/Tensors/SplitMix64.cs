namespace Backprop;

/// <summary>
/// SplitMix64 (Steele, Lea and Flood, 2014): a tiny generator whose output for a seed is fixed by its definition,
/// unlike <see cref="System.Random"/>, whose algorithm .NET may change between versions and whose state cannot be read.
/// The library draws every order that must repeat from it — <see cref="Data.DataLoader"/>'s shuffle, data splits,
/// Dropout's masks — so a source of its own (an image folder, a user's <see cref="Data.IDataSource"/>) that draws from
/// it visits its examples as <see cref="Data.DataLoader"/> does, on every runtime.
/// </summary>
/// <example>
/// <code>
/// // The order in which DataLoader visits 10 examples in epoch 2 with seed 7:
/// int[] order = [.. Enumerable.Range(0, 10)];
/// SplitMix64.ForEpoch(seed: 7, epoch: 2).Shuffle(order);
/// </code>
/// </example>
/// <param name="seed">The generator's starting state; every seed, 0 included, gives a well-mixed sequence.</param>
public struct SplitMix64(ulong seed)
{
    private ulong _state = seed;

    /// <summary>
    /// The generator that shuffles epoch <paramref name="epoch"/> for <paramref name="seed"/>: <see cref="Data.DataLoader.Order"/>
    /// is 0..count−1 put through its <see cref="Shuffle"/>. Any epoch is drawn without replaying the ones before it.
    /// </summary>
    /// <param name="seed">The seed of the shuffling, as given to <see cref="Data.DataLoader"/> or <see cref="Data.IDataSource.Batches"/>.</param>
    /// <param name="epoch">The 0-based epoch.</param>
    public static SplitMix64 ForEpoch(int seed, int epoch) =>
        // A fixed mix of (seed, epoch), the same in every run; HashCode.Combine is randomised per process.
        new(unchecked((ulong)seed * 1_000_003 + (ulong)epoch));

    /// <summary>The whole position of the generator: assigning a value read earlier replays the same outputs.</summary>
    internal ulong State
    {
        readonly get => _state;
        set => _state = value;
    }

    /// <summary>The next 64 random bits.</summary>
    public ulong Next()
    {
        ulong z = _state += 0x9E3779B97F4A7C15;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EB;
        return z ^ (z >> 31);
    }

    /// <summary>
    /// A value in 0..<paramref name="bound"/>−1: the high 32 bits of the 64-bit draw times the bound (Lemire's method
    /// without its rejection step, so the bias is below 2^−32 for bounds under 2^32: irrelevant for shuffling).
    /// </summary>
    /// <param name="bound">The number of possible values, ≥ 1.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="bound"/> is less than 1.</exception>
    public int Next(int bound)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(bound, 1);
        return (int)Math.BigMul(Next(), (ulong)bound, out _);
    }

    /// <summary>A value in [0, 1) with 53 random bits, every multiple of 2^−53 equally likely.</summary>
    public double NextDouble() => (Next() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Puts <paramref name="values"/> in a random order: Fisher–Yates from the last position down, swapping position i with <see cref="Next(int)"/>(i + 1).</summary>
    /// <param name="values">The values, shuffled in place.</param>
    public void Shuffle(Span<int> values)
    {
        for (int i = values.Length - 1; i > 0; i--)
        {
            int j = Next(i + 1);
            (values[i], values[j]) = (values[j], values[i]);
        }
    }
}
