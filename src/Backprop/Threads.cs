namespace Backprop;

/// <summary>
/// How many threads Backprop's compute kernels (matrix multiply, convolution) may use.
/// </summary>
/// <remarks>
/// Results never depend on this number: kernels split work over outputs only, so every output is
/// reduced in the same order whatever the thread count, and the bits are the same.
/// A kernel called from inside one of Backprop's own worker threads runs serially, so nested
/// parallelism never oversubscribes the machine.
/// <example>
/// <code>
/// Threads.Count = 1;   // e.g. while a host already runs one model per core
/// </code>
/// </example>
/// </remarks>
public static class Threads
{
    private static int count = Environment.ProcessorCount;

    [ThreadStatic]
    private static bool isWorker;

    /// <summary>
    /// The most threads a kernel uses, at least 1; defaults to <see cref="Environment.ProcessorCount"/>.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is less than 1.</exception>
    public static int Count
    {
        get => Volatile.Read(ref count);
        set
        {
            if (value < 1)
            {
                throw new ArgumentOutOfRangeException(
                    nameof(value), value, $"Threads.Count must be at least 1, but was {value}.");
            }

            Volatile.Write(ref count, value);
        }
    }

    /// <summary>
    /// How many workers a kernel should use for <paramref name="units"/> independent pieces of work:
    /// 1 inside a kernel worker (no nested parallelism), otherwise at most <see cref="Count"/>.
    /// </summary>
    internal static int WorkersFor(int units) => isWorker ? 1 : Math.Max(1, Math.Min(Count, units));

    /// <summary>
    /// Runs <paramref name="body"/> for worker indices 0 … <paramref name="workers"/> − 1, in parallel on the
    /// library's own worker threads with the caller taking index 0, each marked as a kernel worker so that kernels
    /// it calls stay serial. When another thread is already using the workers, all indices run on the caller.
    /// </summary>
    internal static void Run(int workers, Action<int> body) => RunPieces(workers, workers, body);

    /// <summary>
    /// Runs <paramref name="body"/> for piece indices 0 … <paramref name="pieces"/> − 1 on <paramref name="threads"/>
    /// threads, the caller counted (at most <paramref name="pieces"/>), each thread claiming the next unclaimed piece until none is left,
    /// so that a thread another process holds up leaves the rest of its share to the others. Otherwise as
    /// <see cref="Run"/>.
    /// </summary>
    internal static void RunPieces(int pieces, int threads, Action<int> body)
    {
        if (threads > 1 && pieces > 1) RunJob(new Kernels.DelegateJob(body, pieces), threads);
        else
        {
            for (int piece = 0; piece < pieces; piece++) body(piece);
        }
    }

    /// <summary>
    /// Runs <paramref name="job"/>'s pieces on at most <paramref name="threads"/> threads, the caller counted, each
    /// thread claiming the next unclaimed piece, as <see cref="RunPieces"/>.
    /// </summary>
    internal static void RunJob(Kernels.KernelJob job, int threads)
    {
        threads = Math.Min(threads, job.Pieces);
        if (threads > 1)
        {
            bool wasWorker = isWorker;
            isWorker = true;
            try
            {
                if (Kernels.KernelWorkers.TryRun(job, threads)) return;
            }
            finally
            {
                isWorker = wasWorker;
            }
        }

        job.RunSerially();
    }

    /// <summary>Marks the current thread, for its life, as a kernel worker.</summary>
    internal static void MarkAsWorker() => isWorker = true;
}
