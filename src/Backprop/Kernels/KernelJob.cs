using System.Runtime.ExceptionServices;

namespace Backprop.Kernels;

/// <summary>
/// One call of a kernel split into pieces: the pieces to claim, and the count of those the library's workers have
/// finished. A subclass carries the call's arguments in the same object, so that a worker finds everything it needs in
/// the object it is handed instead of following references to data the caller has only just written.
/// </summary>
/// <remarks>
/// The caller runs piece 0, then claims pieces like a worker, and counts its own pieces itself: only the workers write
/// <see cref="_finishedByWorkers"/>, so the last worker's signal reaches a caller that holds the line only for reading.
/// Each thread that hands a shared line to the other costs some 60 ns on a two-core machine, against a single-sample
/// inference of about 2 µs.
/// </remarks>
/// <param name="pieces">How many pieces the call has, at least 1.</param>
internal abstract class KernelJob(int pieces)
{
    private int _next = 1;
    private int _finishedByWorkers;
    private int _callerSleeping;
    private Exception? _failure;

    /// <summary>How many pieces the call has.</summary>
    public int Pieces { get; } = pieces;

    /// <summary>Runs piece <paramref name="piece"/> of the call.</summary>
    protected abstract void RunPiece(int piece);

    /// <summary>Runs every piece on the calling thread, in order (no workers, or none free).</summary>
    public void RunSerially()
    {
        for (int piece = 0; piece < Pieces; piece++) RunPiece(piece);
    }

    /// <summary>
    /// On the calling thread, once the workers have been handed the job: runs piece 0 and every piece no worker has
    /// claimed, waits for the pieces the workers claimed, and rethrows the first exception any piece threw.
    /// </summary>
    public void RunOnCaller()
    {
        int ran = 1;
        Run(0);
        while (TryClaim(out int piece))
        {
            Run(piece);
            ran++;
        }

        WaitForWorkers(Pieces - ran);
        if (Volatile.Read(ref _failure) is { } error) ExceptionDispatchInfo.Throw(error);
    }

    /// <summary>On a worker: claims and runs pieces until none is left, reporting each to the caller.</summary>
    public void RunOnWorker()
    {
        while (TryClaim(out int piece))
        {
            Run(piece);
            // Both sides write, then read the other's field, with full fences between (Interlocked): either the caller
            // sees the count before it blocks, or this sees it blocked and pulses (a pulse it does not need is harmless).
            Interlocked.Increment(ref _finishedByWorkers);
            if (Volatile.Read(ref _callerSleeping) != 0)
            {
                lock (this) Monitor.Pulse(this);
            }
        }
    }

    /// <summary>
    /// Claims the next piece. Reads before it increments: when every piece is taken (the caller after its own piece, a
    /// late worker), a read leaves the line shared instead of taking it from the thread that signals next.
    /// </summary>
    private bool TryClaim(out int piece)
    {
        piece = Volatile.Read(ref _next) < Pieces ? Interlocked.Increment(ref _next) - 1 : Pieces;
        return piece < Pieces;
    }

    private void Run(int piece)
    {
        try
        {
            RunPiece(piece);
        }
        catch (Exception exception)
        {
            Interlocked.CompareExchange(ref _failure, exception, null);
        }
    }

    /// <summary>
    /// Spins like a worker, then blocks until a worker's pulse. The job is its own monitor (no one outside sees it):
    /// a lock object per call would be an allocation for a wait that rarely blocks.
    /// </summary>
    private void WaitForWorkers(int pieces)
    {
        if (KernelWorkers.SpinUntil(ref _finishedByWorkers, pieces)) return;
        lock (this)
        {
            Interlocked.Exchange(ref _callerSleeping, 1);
            while (Volatile.Read(ref _finishedByWorkers) != pieces) Monitor.Wait(this);
        }
    }
}
