namespace Backprop.Data;

/// <summary>
/// SplitMix64 (Steele, Lea and Flood, 2014): a tiny generator whose output for a seed is fixed by
/// its definition, unlike <see cref="System.Random"/>, whose algorithm .NET may change between
/// versions; splits must stay the same for a seed on every runtime.
/// </summary>
internal struct SplitMix64(ulong seed)
{
    private ulong _state = seed;

    public ulong Next()
    {
        ulong z = _state += 0x9E3779B97F4A7C15;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EB;
        return z ^ (z >> 31);
    }

    /// <summary>A value in 0..bound−1 (bias below 2^−32 for bounds under 2^32, irrelevant for shuffling).</summary>
    public int Next(int bound) => (int)Math.BigMul(Next(), (ulong)bound, out _);

    /// <summary>Fisher–Yates shuffle.</summary>
    public void Shuffle(Span<int> values)
    {
        for (int i = values.Length - 1; i > 0; i--)
        {
            int j = Next(i + 1);
            (values[i], values[j]) = (values[j], values[i]);
        }
    }
}
