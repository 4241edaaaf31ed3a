namespace Backprop.Tensors;

/// <summary>
/// SplitMix64 (Steele, Lea and Flood, 2014): a tiny generator whose output for a seed is fixed by
/// its definition, unlike <see cref="System.Random"/>, whose algorithm .NET may change between
/// versions and whose state cannot be read. Data splits must stay the same for a seed on every
/// runtime, and a layer drawing from it (Dropout) can save its whole position as one 64-bit word.
/// </summary>
internal struct SplitMix64(ulong seed)
{
    private ulong _state = seed;

    /// <summary>The whole position of the generator: assigning a value read earlier replays the same outputs.</summary>
    public ulong State
    {
        readonly get => _state;
        set => _state = value;
    }

    public ulong Next()
    {
        ulong z = _state += 0x9E3779B97F4A7C15;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EB;
        return z ^ (z >> 31);
    }

    /// <summary>A value in 0..bound−1 (bias below 2^−32 for bounds under 2^32, irrelevant for shuffling).</summary>
    public int Next(int bound) => (int)Math.BigMul(Next(), (ulong)bound, out _);

    /// <summary>A value in [0, 1) with 53 random bits, every multiple of 2^−53 equally likely.</summary>
    public double NextDouble() => (Next() >> 11) * (1.0 / (1UL << 53));

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
