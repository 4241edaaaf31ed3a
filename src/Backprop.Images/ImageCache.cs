namespace Backprop.Images;

/// <summary>
/// Decoded images kept between epochs, up to a byte budget that several sources may share: the first images decoded
/// stay until the budget is spent, later ones are decoded again each time. No eviction means no churn, and a bound
/// that holds whatever the order.
/// </summary>
internal sealed class ImageCache(int slots, ImageCache.Budget budget)
{
    private readonly byte[]?[] _images = new byte[]?[slots];

    public ImageCache(int slots, long budgetBytes)
        : this(slots, new Budget(budgetBytes))
    {
    }

    /// <summary>The bytes the caches sharing it may hold, and how many they hold.</summary>
    internal sealed class Budget(long limit)
    {
        private long _used;

        public bool TryTake(long bytes)
        {
            if (Interlocked.Add(ref _used, bytes) <= limit) return true;
            Interlocked.Add(ref _used, -bytes);
            return false;
        }

        public void Give(long bytes) => Interlocked.Add(ref _used, -bytes);
    }

    /// <summary>Stores an image whose bytes the budget has already granted.</summary>
    public void Put(int slot, byte[] image) => _images[slot] = image;

    public byte[]? Get(int slot) => Volatile.Read(ref _images[slot]);

    public void Offer(int slot, byte[] image)
    {
        if (!budget.TryTake(image.Length)) return;
        if (Interlocked.CompareExchange(ref _images[slot], image, null) is not null) budget.Give(image.Length);
    }
}
