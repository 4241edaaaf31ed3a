using System.Diagnostics;
using System.Runtime.CompilerServices;

namespace Backprop.Kernels;

/// <summary>
/// The library's own worker threads for splitting a kernel into pieces: the caller runs piece 0, the workers claim
/// the others, and the caller then runs any piece no worker has started. A worker spins briefly after each job,
/// since a training step issues its products microseconds apart, then sleeps, so an idle library costs no CPU.
/// </summary>
/// <remarks>
/// <para>
/// Dedicated threads rather than the thread pool: waking a pool thread took milliseconds on loaded machines, and
/// kernels never compete with the host's own pool work for threads. Only one caller uses the workers at a time;
/// a second thread that asks meanwhile (a host already running models in parallel) runs its kernel on its own
/// thread, so the machine is never oversubscribed by nested or concurrent parallelism.
/// </para>
/// <para>
/// Pieces are claimed, not assigned: when another process holds the core a worker would run on, the caller does
/// that worker's piece itself instead of waiting for the scheduler to run the worker, which for pieces of a few
/// microseconds took longer than the work. Which thread runs a piece never changes its arithmetic, so results stay
/// bit-identical.
/// </para>
/// <para>
/// A worker is handed the job in its own object, next to the counter that wakes it, so that waking costs one cache
/// line moving between cores before the worker reads the job itself (<see cref="KernelJob"/>).
/// </para>
/// </remarks>
internal static class KernelWorkers
{
    /// <summary>
    /// How long a worker (or the waiting caller) spins before blocking: 0.5 ms, longer than the gaps between a
    /// step's products (activation, loss, optimiser update), so a step rarely pays a wake-up; longer gained nothing.
    /// An idle library burns at most this long per call on each worker.
    /// </summary>
    private static readonly long SpinTicks = Stopwatch.Frequency / 2_000;

    /// <summary>
    /// How long a worker (or the waiting caller) first spins on pause instructions alone, before spinning with yields to
    /// the scheduler: 20 µs. A yield is a system call, long against the pieces of single-sample inference; 20 µs is
    /// short enough that a busy machine gets the core back at once.
    /// </summary>
    private static readonly long EagerSpinTicks = Stopwatch.Frequency / 50_000;

    /// <summary>Pauses between reads of the clock while spinning eagerly: reading it costs about as much as a pause.</summary>
    private const int PausesPerClockRead = 16;

    private static readonly object GrowLock = new();
    private static Worker[] workers = [];
    private static int busy;

    /// <summary>
    /// Runs <paramref name="body"/>(i) for i in [0, <paramref name="count"/>) in parallel on <paramref name="threads"/>
    /// threads, as <see cref="TryRun(KernelJob, int)"/>.
    /// </summary>
    public static bool TryRun(int count, int threads, Action<int> body) => TryRun(new DelegateJob(body, count), threads);

    /// <summary>
    /// Runs <paramref name="job"/>'s pieces in parallel on <paramref name="threads"/> threads (the caller and
    /// threads − 1 workers), piece 0 on the calling thread, the others claimed by whichever thread is free first; false
    /// (nothing run) when another thread is using the workers. The first exception any piece throws is rethrown here,
    /// after every piece has finished.
    /// </summary>
    public static bool TryRun(KernelJob job, int threads)
    {
        if (Interlocked.CompareExchange(ref busy, 1, 0) != 0) return false;
        try
        {
            var pool = Ensure(threads - 1);
            for (int i = 0; i < threads - 1; i++) pool[i].Wake(job);
            job.RunOnCaller();
            return true;
        }
        finally
        {
            Volatile.Write(ref busy, 0);
        }
    }

    /// <summary>
    /// Spins until <paramref name="field"/> equals <paramref name="value"/>, eagerly at first, then yielding, for at most
    /// <see cref="SpinTicks"/>; whether it does.
    /// </summary>
    public static bool SpinUntil(ref int field, int value) => Spin(ref field, value, untilEqual: true);

    private static bool Spin(ref int field, int value, bool untilEqual)
    {
        long start = Stopwatch.GetTimestamp();
        for (int spins = 1; (Volatile.Read(ref field) == value) != untilEqual; spins++)
        {
            if (spins % PausesPerClockRead == 0 && Stopwatch.GetTimestamp() - start >= EagerSpinTicks) break;
            Thread.SpinWait(1);
        }

        var spinner = new SpinWait();
        while ((Volatile.Read(ref field) == value) != untilEqual && Stopwatch.GetTimestamp() - start < SpinTicks) spinner.SpinOnce(sleep1Threshold: -1);
        return (Volatile.Read(ref field) == value) == untilEqual;
    }

    private static Worker[] Ensure(int count)
    {
        var existing = workers;
        if (existing.Length >= count) return existing;
        lock (GrowLock)
        {
            if (workers.Length < count)
            {
                var grown = new Worker[count];
                Array.Copy(workers, grown, workers.Length);
                for (int i = workers.Length; i < count; i++) grown[i] = new Worker();
                workers = grown;
            }
            return workers;
        }
    }

    /// <summary>One dedicated thread: waits to be handed a job, then claims pieces of it.</summary>
    private sealed class Worker
    {
        private readonly object _lock = new();
        private KernelJob? _job;
        private int _wakes;
        private int _sleeping;

        public Worker()
        {
            var thread = new Thread(Loop) { IsBackground = true, Name = "Backprop kernel worker" };
            thread.Start();
        }

        /// <summary>Hands the worker <paramref name="job"/>; only a worker blocked in its wait needs the lock and a pulse.</summary>
        public void Wake(KernelJob job)
        {
            Volatile.Write(ref _job, job);
            // Both sides write, then read the other's field, with full fences between (Interlocked): either the worker
            // sees the new wake before it blocks, or this sees it sleeping and pulses.
            Interlocked.Increment(ref _wakes);
            if (Volatile.Read(ref _sleeping) == 0) return;
            lock (_lock) Monitor.Pulse(_lock);
        }

        private void Loop()
        {
            Threads.MarkAsWorker();
            int served = 0;
            while (true)
            {
                if (!Spin(ref _wakes, served, untilEqual: false))
                {
                    lock (_lock)
                    {
                        Interlocked.Exchange(ref _sleeping, 1);
                        while (Volatile.Read(ref _wakes) == served) Monitor.Wait(_lock);
                        Volatile.Write(ref _sleeping, 0);
                    }
                }

                served = Volatile.Read(ref _wakes);
                RunHandedJob();
            }
        }

        /// <summary>
        /// Runs the job last handed over, then lets it go unless a newer one has replaced it, so that a finished job keeps
        /// no model alive. A late wake may find the next job, or one already done: claiming from either is safe. A method
        /// of its own so that no slot of the waiting loop's frame holds the job (unoptimised code keeps every local
        /// alive for the whole method).
        /// </summary>
        [MethodImpl(MethodImplOptions.NoInlining)]
        private void RunHandedJob()
        {
            if (Volatile.Read(ref _job) is not { } job) return;
            job.RunOnWorker();
            Interlocked.CompareExchange(ref _job, null, job);
        }
    }
}
