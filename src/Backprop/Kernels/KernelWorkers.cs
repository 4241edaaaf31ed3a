using System.Diagnostics;
using System.Runtime.ExceptionServices;

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

    private static readonly object GrowLock = new();
    private static Worker[] workers = [];
    private static int busy;
    private static Job? current;

    /// <summary>
    /// Runs <paramref name="body"/>(i) for i in [0, <paramref name="count"/>) in parallel on <paramref name="threads"/>
    /// threads (the caller and threads − 1 workers), piece 0 on the calling thread, the others claimed by whichever
    /// thread is free first; false (nothing run) when another thread is using the workers. The first exception any
    /// piece throws is rethrown here, after every piece has finished.
    /// </summary>
    public static bool TryRun(int count, int threads, Action<int> body)
    {
        if (Interlocked.CompareExchange(ref busy, 1, 0) != 0) return false;
        try
        {
            var pool = Ensure(threads - 1);
            var job = new Job(body, count);
            Volatile.Write(ref current, job);
            for (int i = 0; i < threads - 1; i++) pool[i].Wake();
            job.Run(0);
            job.RunUnclaimed();
            job.WaitUntilDone();
            Volatile.Write(ref current, null);
            if (job.Failure is { } error) ExceptionDispatchInfo.Throw(error);
            return true;
        }
        finally
        {
            Volatile.Write(ref busy, 0);
        }
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

    /// <summary>One call's pieces: a counter to claim them from and a count of those not yet finished.</summary>
    private sealed class Job(Action<int> body, int count)
    {
        private readonly int _count = count;
        private int _next = 1;
        private int _unfinished = count;
        private int _callerSleeping;
        private Exception? _failure;

        public Exception? Failure => Volatile.Read(ref _failure);

        /// <summary>Runs one piece, recording its exception, and wakes the caller when it was the last.</summary>
        public void Run(int piece)
        {
            try
            {
                body(piece);
            }
            catch (Exception exception)
            {
                Interlocked.CompareExchange(ref _failure, exception, null);
            }
            // As in Worker.Wake: both sides write, then read the other's field, with full fences between, so either
            // the caller sees the count reach zero before it blocks or this sees it blocked and pulses.
            if (Interlocked.Decrement(ref _unfinished) == 0 && Volatile.Read(ref _callerSleeping) != 0)
            {
                lock (this) System.Threading.Monitor.Pulse(this);
            }
        }

        /// <summary>Claims and runs pieces until none is left unclaimed.</summary>
        public void RunUnclaimed()
        {
            int piece;
            while ((piece = Interlocked.Increment(ref _next) - 1) < _count) Run(piece);
        }

        /// <summary>
        /// Spins like a worker, then blocks. The last piece's thread takes the lock only when the caller has blocked:
        /// taking it on every call, while the caller spun, delayed the caller's return by a large share of a
        /// single-sample inference.
        /// </summary>
        public void WaitUntilDone()
        {
            long start = Stopwatch.GetTimestamp();
            while (Volatile.Read(ref _unfinished) != 0 && Stopwatch.GetTimestamp() - start < EagerSpinTicks) Thread.SpinWait(4);
            var spinner = new SpinWait();
            while (Volatile.Read(ref _unfinished) != 0 && Stopwatch.GetTimestamp() - start < SpinTicks) spinner.SpinOnce(sleep1Threshold: -1);
            if (Volatile.Read(ref _unfinished) == 0) return;
            // The job is its own monitor (no one outside this class sees it): a lock object per split product was
            // an allocation on every call for a wait that rarely blocks.
            lock (this)
            {
                Interlocked.Exchange(ref _callerSleeping, 1);
                while (Volatile.Read(ref _unfinished) != 0) System.Threading.Monitor.Wait(this);
            }
        }
    }

    /// <summary>One dedicated thread: waits to be woken, then claims pieces of the current job.</summary>
    private sealed class Worker
    {
        private readonly object _lock = new();
        private int _wakes;
        private int _sleeping;

        public Worker()
        {
            var thread = new Thread(Loop) { IsBackground = true, Name = "Backprop kernel worker" };
            thread.Start();
        }

        /// <summary>Hands the worker the current job; only a worker blocked in its wait needs the lock and a pulse.</summary>
        public void Wake()
        {
            // Both sides write, then read the other's field, with full fences between (Interlocked): either the worker
            // sees the new wake before it blocks, or this sees it sleeping and pulses.
            Interlocked.Increment(ref _wakes);
            if (Volatile.Read(ref _sleeping) == 0) return;
            lock (_lock) System.Threading.Monitor.Pulse(_lock);
        }

        private void Loop()
        {
            Threads.MarkAsWorker();
            int served = 0;
            while (true)
            {
                long start = Stopwatch.GetTimestamp();
                while (Volatile.Read(ref _wakes) == served && Stopwatch.GetTimestamp() - start < EagerSpinTicks) Thread.SpinWait(4);
                var spinner = new SpinWait();
                while (Volatile.Read(ref _wakes) == served && Stopwatch.GetTimestamp() - start < SpinTicks) spinner.SpinOnce(sleep1Threshold: -1);
                lock (_lock)
                {
                    Interlocked.Exchange(ref _sleeping, 1);
                    while (Volatile.Read(ref _wakes) == served) System.Threading.Monitor.Wait(_lock);
                    Volatile.Write(ref _sleeping, 0);
                }
                served = Volatile.Read(ref _wakes);
                // A late wake may find the next job, or none: claiming from it is as safe as from its own.
                Volatile.Read(ref current)?.RunUnclaimed();
            }
        }
    }
}
