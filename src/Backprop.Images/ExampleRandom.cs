namespace Backprop.Images;

/// <summary>
/// SplitMix64, seeded from (seed, epoch, example): each example's augmentation is the same in every run, whatever
/// thread decodes it and whatever the batch order.
/// </summary>
internal struct ExampleRandom(ulong state)
{
    public static ExampleRandom For(int seed, int epoch, int example) =>
        new(unchecked((ulong)seed * 0x9E3779B97F4A7C15UL ^ (ulong)epoch * 0xC2B2AE3D27D4EB4FUL ^ (ulong)example * 0x165667B19E3779F9UL));

    /// <summary>The permutation of 0..count−1 that epoch <paramref name="epoch"/> visits, as the library's DataLoader draws it.</summary>
    public static int[] Order(int count, int seed, int epoch)
    {
        var order = Enumerable.Range(0, count).ToArray();
        var random = new ExampleRandom(unchecked((ulong)seed * 1_000_003 + (ulong)epoch));
        for (int i = count - 1; i > 0; i--)
        {
            int j = random.Below(i + 1);
            (order[i], order[j]) = (order[j], order[i]);
        }
        return order;
    }

    public ulong Next()
    {
        ulong z = state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>An integer in [0, bound), the high bits of a 64×32-bit product, as the library's own generator draws it.</summary>
    public int Below(int bound) => (int)Math.BigMul(Next(), (ulong)bound, out _);

    /// <summary>A uniform integer in [−most, most].</summary>
    public int Within(int most) => Below(2 * most + 1) - most;
}
