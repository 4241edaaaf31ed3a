using Backprop.Data;

namespace Backprop.Images;

/// <summary>
/// Image files as an <see cref="IDataSource"/>: each batch is decoded when it is asked for (the next one on a
/// background thread while the current one trains), through a bounded cache of decoded images, so a folder larger
/// than memory trains. Examples are [channels, height, width] floats 0–255 (see <see cref="ImageTransform"/>).
/// </summary>
/// <example>
/// <code>
/// var source = ImageSource.FromFiles(["a.png", "b.jpg"], new ImageTransform(32, 32, ColorMode.Rgb));
/// foreach (var batch in source.Batches(epoch: 0, batchSize: 64, shuffle: false, seed: 0))
///     Console.WriteLine(batch.Inputs.Shape);   // [2, 3, 32, 32]
/// </code>
/// </example>
public sealed class ImageSource : IDataSource
{
    private readonly string[] _files;
    private readonly int[]? _labels;
    private readonly ImageCache _cache;

    internal ImageSource(string[] files, int[]? labels, int classCount, ImageTransform transform, ImageAugmentation augmentation,
        ImageCache cache, IReadOnlyList<SkippedImage> skipped)
    {
        _files = files;
        _labels = labels;
        ClassCount = classCount;
        Transform = transform;
        Augmentation = augmentation;
        _cache = cache;
        Skipped = skipped;
    }

    /// <summary>Unlabelled images (for prediction), in the order given; files are only checked when decoded.</summary>
    /// <param name="files">The image files.</param>
    /// <param name="transform">How each becomes an input.</param>
    /// <param name="cacheBytes">Bytes of decoded images kept between passes; 0 keeps none.</param>
    public static ImageSource FromFiles(IEnumerable<string> files, ImageTransform transform, long cacheBytes = 0)
    {
        ArgumentNullException.ThrowIfNull(files);
        ArgumentNullException.ThrowIfNull(transform);
        string[] paths = [.. files];
        return new ImageSource(paths, null, 0, transform, ImageAugmentation.None, new ImageCache(paths.Length, cacheBytes), []);
    }

    /// <summary>The image files, in the source's own order.</summary>
    public IReadOnlyList<string> Files => _files;

    /// <summary>Each file's class index, or null for unlabelled images.</summary>
    public IReadOnlyList<int>? Labels => _labels;

    /// <summary>How each file becomes an input.</summary>
    public ImageTransform Transform { get; }

    /// <summary>The augmentation applied to every batch.</summary>
    public ImageAugmentation Augmentation { get; }

    /// <summary>Files left out when the source was made (with <see cref="ImageFolderOptions.SkipBadImages"/>).</summary>
    public IReadOnlyList<SkippedImage> Skipped { get; }

    /// <inheritdoc />
    public IReadOnlyList<int> ExampleShape => Transform.Shape;

    /// <inheritdoc />
    public int ClassCount { get; }

    /// <summary>Number of images.</summary>
    public int Count => _files.Length;

    int? IDataSource.Count => Count;

    /// <inheritdoc />
    /// <remarks>
    /// The order of epoch e is the library's <see cref="DataLoader"/> order for (seed, e); the augmentation of image i in
    /// epoch e is drawn from (seed, e, i), so batches are the same in every run and on any number of cores.
    /// </remarks>
    /// <exception cref="DataFormatException">(While enumerating) an image can no longer be decoded.</exception>
    public IEnumerable<Batch> Batches(int epoch, int batchSize, bool shuffle, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(epoch);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        int[] order = shuffle ? ExampleRandom.Order(Count, seed, epoch) : [.. Enumerable.Range(0, Count)];
        return Prefetched(order, epoch, batchSize, seed);
    }

    /// <summary>
    /// Batch b is filled on a background thread while batch b − 1 trains. Two sets of buffers take turns: batch b + 1 is
    /// filled into batch b − 1's, which the contract has released once batch b is asked for, so an epoch allocates no
    /// batch-sized arrays (they would be large-object garbage, collected late, and the process's memory would grow).
    /// </summary>
    private IEnumerable<Batch> Prefetched(int[] order, int epoch, int batchSize, int seed)
    {
        int batches = (order.Length + batchSize - 1) / batchSize;
        var buffers = new BatchBuffers?[2];
        Task<Batch>? next = batches > 0 ? Start(0) : null;
        for (int b = 0; b < batches; b++)
        {
            var batch = next!.GetAwaiter().GetResult();
            next = b + 1 < batches ? Start(b + 1) : null;
            yield return batch;
        }

        // The buffers are made on the background thread: the training loop asks for a batch inside its step arena
        // (thread-static), which would take back anything allocated on its thread when the step closes.
        Task<Batch> Start(int index)
        {
            int start = index * batchSize, count = Math.Min(batchSize, order.Length - start), slot = index % 2;
            return Task.Run(() =>
            {
                if (buffers[slot] is not { } own || own.Count != count) buffers[slot] = own = new BatchBuffers(count, Transform);
                return Load(new ArraySegment<int>(order, start, count), epoch, seed, own);
            });
        }
    }

    /// <summary>A batch's pixels as decoded, and the tensor they are copied into.</summary>
    private sealed class BatchBuffers(int count, ImageTransform transform)
    {
        public int Count => count;

        public float[] Values { get; } = new float[count * transform.Length];

        public Tensor Inputs { get; } = Tensor.Zeros([count, .. transform.Shape]);
    }

    private Batch Load(ArraySegment<int> examples, int epoch, int seed, BatchBuffers buffers)
    {
        int length = Transform.Length;
        var inputs = buffers.Values;
        var labels = _labels is null ? null : new int[examples.Count];
        for (int i = 0; i < examples.Count; i++)
        {
            int example = examples[i];
            var pixels = inputs.AsSpan(i * length, length);
            Transform.ToFloats(Decoded(example), pixels);
            if (Augmentation != ImageAugmentation.None)
            {
                var random = ExampleRandom.For(seed, epoch, example);
                Augmenter.Apply(Augmentation, pixels, Transform.Channels, Transform.Height, Transform.Width, ref random);
            }
            if (labels is not null) labels[i] = _labels![example];
        }
        return new Batch(buffers.Inputs.CopyFrom(inputs), labels, null);
    }

    /// <summary>Image <paramref name="example"/>'s bytes, from the cache or decoded (and offered to the cache).</summary>
    internal byte[] Decoded(int example)
    {
        if (_cache.Get(example) is { } cached) return cached;
        var image = ImageDecoder.Decode(_files[example], Transform);
        _cache.Offer(example, image);
        return image;
    }
}
