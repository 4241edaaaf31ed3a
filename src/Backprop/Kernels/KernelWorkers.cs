using System.Diagnostics;
using System.Runtime.ExceptionServices;

namespace Backprop.Kernels;

/// <summary>
/// The library's own worker threads for splitting a kernel: the caller runs piece 0 and dedicated threads run
/// the others. A worker spins briefly after each piece, since a training step issues its products microseconds
/// apart, then sleeps, so an idle library costs no CPU.
/// </summary>
/// <remarks>
/// Dedicated threads rather than the thread pool: waking a pool thread took milliseconds on loaded machines, and
/// kernels never compete with the host's own pool work for threads. Only one caller uses the workers at a time;
/// a second thread that asks meanwhile (a host already running models in parallel) runs its kernel on its own
/// thread, so the machine is never oversubscribed by nested or concurrent parallelism.
/// </remarks>
internal static class KernelWorkers
{
    /// <summary>
    /// How long a worker (or the waiting caller) spins before blocking: 0.5 ms, longer than the gaps between a
    /// step's products (activation, loss, optimiser update), so a step rarely pays a wake-up. Measured with
    /// `backprop bench`, three alternating rounds, medians: 50 µs → 0.5 ms took mlp_train 102k → 114k samples/s,
    /// mlp_train_big 41k → 49k, cnn_train 11.3k → 13.0k; 2 ms gained nothing more. An idle library burns at most
    /// this long per call on each worker.
    /// </summary>
    private static readonly long SpinTicks = Stopwatch.Frequency / 2_000;

    private static readonly object GrowLock = new();
    private static readonly object DoneLock = new();
    private static Worker[] workers = [];
    private static int busy;
    private static int remaining;
    private static Action<int>? job;
    private static Exception? failure;

    /// <summary>
    /// Runs <paramref name="body"/>(i) for i in [0, <paramref name="count"/>) in parallel, piece 0 on the calling
    /// thread; false (nothing run) when another thread is using the workers.
    /// </summary>
    public static bool TryRun(int count, Action<int> body)
    {
        if (Interlocked.CompareExchange(ref busy, 1, 0) != 0) return false;
        try
        {
            var pool = Ensure(count - 1);
            job = body;
            failure = null;
            Volatile.Write(ref remaining, count - 1);
            for (int i = 1; i < count; i++) pool[i - 1].Start(i);
            try
            {
                body(0);
            }
            finally
            {
                WaitForWorkers();
            }
            if (failure is { } error) ExceptionDispatchInfo.Throw(error);
            return true;
        }
        finally
        {
            job = null;
            Volatile.Write(ref busy, 0);
        }
    }

    private static Worker[] Ensure(int count)
    {
        var current = workers;
        if (current.Length >= count) return current;
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

    private static void WaitForWorkers()
    {
        long start = Stopwatch.GetTimestamp();
        var spinner = new SpinWait();
        while (Volatile.Read(ref remaining) != 0)
        {
            if (Stopwatch.GetTimestamp() - start < SpinTicks)
            {
                spinner.SpinOnce(sleep1Threshold: -1);
                continue;
            }
            lock (DoneLock)
            {
                while (Volatile.Read(ref remaining) != 0) System.Threading.Monitor.Wait(DoneLock);
            }
        }
    }

    private static void Finished(Exception? error)
    {
        if (error is not null) Interlocked.CompareExchange(ref failure, error, null);
        if (Interlocked.Decrement(ref remaining) != 0) return;
        lock (DoneLock) System.Threading.Monitor.PulseAll(DoneLock);
    }

    /// <summary>One dedicated thread: waits for a piece index, runs the current job on it, reports back.</summary>
    private sealed class Worker
    {
        private readonly object _lock = new();
        private int _requests;
        private int _piece;

        public Worker()
        {
            var thread = new Thread(Loop) { IsBackground = true, Name = "Backprop kernel worker" };
            thread.Start();
        }

        public void Start(int piece)
        {
            _piece = piece;
            Interlocked.Increment(ref _requests);
            lock (_lock) System.Threading.Monitor.Pulse(_lock);
        }

        private void Loop()
        {
            Threads.MarkAsWorker();
            int served = 0;
            while (true)
            {
                long start = Stopwatch.GetTimestamp();
                var spinner = new SpinWait();
                while (Volatile.Read(ref _requests) == served)
                {
                    if (Stopwatch.GetTimestamp() - start < SpinTicks)
                    {
                        spinner.SpinOnce(sleep1Threshold: -1);
                        continue;
                    }
                    lock (_lock)
                    {
                        while (Volatile.Read(ref _requests) == served) System.Threading.Monitor.Wait(_lock);
                    }
                }
                served++;
                Exception? error = null;
                try
                {
                    job!(_piece);
                }
                catch (Exception exception)
                {
                    error = exception;
                }
                Finished(error);
            }
        }
    }
}
