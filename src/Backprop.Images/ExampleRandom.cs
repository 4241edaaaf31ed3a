namespace Backprop.Images;

/// <summary>The library's <see cref="SplitMix64"/>, seeded as an image source needs it.</summary>
internal static class ExampleRandom
{
    /// <summary>
    /// The generator of example <paramref name="example"/>'s augmentation in epoch <paramref name="epoch"/>: the same in
    /// every run, whatever thread decodes it and whatever the batch order.
    /// </summary>
    public static SplitMix64 For(int seed, int epoch, int example) =>
        new(unchecked((ulong)seed * 0x9E3779B97F4A7C15UL ^ (ulong)epoch * 0xC2B2AE3D27D4EB4FUL ^ (ulong)example * 0x165667B19E3779F9UL));

    /// <summary>The permutation of 0..count−1 that epoch <paramref name="epoch"/> visits, the library's DataLoader's.</summary>
    public static int[] Order(int count, int seed, int epoch)
    {
        int[] order = [.. Enumerable.Range(0, count)];
        SplitMix64.ForEpoch(seed, epoch).Shuffle(order);
        return order;
    }
}
