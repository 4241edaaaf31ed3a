namespace Backprop.Tensors;

/// <summary>
/// Recycles the storage of the tensors one training step creates (batch, activations, gradients), so that
/// training at steady state allocates no memory in proportion to the activations. Owned by the training loop:
/// while a step is open on a thread, <see cref="Tensor"/>'s internal allocations on that thread rent arrays
/// from here; closing the step hands them all back for the next step, whose shapes are the same.
/// </summary>
/// <remarks>
/// Only the training loop opens steps, and it closes each one before calling user code (callbacks) and before
/// returning, so no tensor a user can hold aliases recycled storage. Parameters, their gradients and optimiser
/// state are allocated outside (or copied out of) the step.
/// </remarks>
internal sealed class StepArena
{
    [ThreadStatic] private static StepArena? t_open;

    private readonly Dictionary<int, Stack<float[]>> _free32 = [];
    private readonly Dictionary<int, Stack<double[]>> _free64 = [];
    private readonly Dictionary<int, Stack<int[]>> _freeInt = [];
    private readonly List<Array> _lent = [];
    private long _pooledBytes;

    /// <summary>The arena of the step open on this thread, or null.</summary>
    public static StepArena? Open => t_open;

    /// <summary>Opens a step on this thread; disposing the result closes it and recycles everything it rented.</summary>
    public Step Begin()
    {
        if (t_open is not null) throw new InvalidOperationException("internal error: a training step is already open on this thread.");
        t_open = this;
        return new Step(this);
    }

    /// <summary>
    /// Storage for <paramref name="length"/> float or double elements, zeroed when <paramref name="clear"/>, starting on a
    /// 64-byte cache line: a pinned array and the index of its first element on a line.
    /// </summary>
    /// <remarks>
    /// A batch and the activations a step computes from it are read by 512-bit loads, and an array the collector placed
    /// off a line made every such load touch two lines: the 784-128-10 MLP's forward product took 53–55 µs with its input
    /// off a line against 46–48 µs on one (two threads, 2-core Intel Xeon, 7 December 2026), and a training run kept
    /// whichever alignment its first step happened to get. Pinned, so the offset found once stays true.
    /// </remarks>
    public ArraySegment<T> Rent<T>(int length, bool clear) where T : unmanaged
    {
        T[] array;
        if (typeof(T) == typeof(float)) array = (T[])(object)Take(_free32, length, onLine: true);
        else if (typeof(T) == typeof(double)) array = (T[])(object)Take(_free64, length, onLine: true);
        else throw new NotSupportedException($"internal error: the step arena's values are float or double, not {typeof(T).Name}.");
        var values = new ArraySegment<T>(array, Kernels.CacheLines.FirstOnLine(array), length);
        if (clear) values.AsSpan().Clear();
        _lent.Add(array);
        return values;
    }

    /// <summary>An array of exactly <paramref name="length"/> indices (pooling's arg-max), from index 0.</summary>
    public int[] RentIndices(int length)
    {
        int[] array = Take(_freeInt, length, onLine: false);
        _lent.Add(array);
        return array;
    }

    /// <summary>Whether <paramref name="storage"/> is an array this step has rented (and will take back when it closes).</summary>
    public bool Lends(Array storage)
    {
        foreach (var array in _lent)
            if (ReferenceEquals(array, storage)) return true;
        return false;
    }

    /// <summary>Bytes held for reuse between steps.</summary>
    public long PooledBytes => _pooledBytes;

    /// <summary>Drops every array held for reuse (not those lent to an open step).</summary>
    public void Clear()
    {
        _free32.Clear();
        _free64.Clear();
        _freeInt.Clear();
        _pooledBytes = 0;
    }

    private TElement[] Take<TElement>(Dictionary<int, Stack<TElement[]>> free, int length, bool onLine) where TElement : unmanaged
    {
        // Keyed by the array's own length, the padding for a line included, as Give files it.
        int size = onLine ? length + Kernels.CacheLines.Padding<TElement>() : length;
        if (free.TryGetValue(size, out var stack) && stack.TryPop(out var array))
        {
            _pooledBytes -= (long)size * System.Runtime.CompilerServices.Unsafe.SizeOf<TElement>();
            return array;
        }
        return onLine ? Kernels.CacheLines.Allocate<TElement>(length) : GC.AllocateUninitializedArray<TElement>(length);
    }

    private void Recycle()
    {
        foreach (var array in _lent)
        {
            if (array is float[] single) Give(_free32, single);
            else if (array is double[] wide) Give(_free64, wide);
            else Give(_freeInt, (int[])array);
        }
        _lent.Clear();
        t_open = null;
    }

    private void Give<TElement>(Dictionary<int, Stack<TElement[]>> free, TElement[] array) where TElement : unmanaged
    {
        _pooledBytes += (long)array.Length * System.Runtime.CompilerServices.Unsafe.SizeOf<TElement>();
        if (!free.TryGetValue(array.Length, out var stack)) free[array.Length] = stack = new Stack<TElement[]>();
        stack.Push(array);
    }

    /// <summary>An open step; <see cref="Dispose"/> closes it.</summary>
    public readonly struct Step(StepArena arena) : IDisposable
    {
        public void Dispose() => arena.Recycle();
    }
}
