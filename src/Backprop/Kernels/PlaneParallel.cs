using System.Buffers;
using System.Numerics;

namespace Backprop.Kernels;

/// <summary>
/// Decides whether per-plane kernel work is worth spreading over cores, and spreads it.
/// Callers hand each plane to exactly one worker and keep each plane's arithmetic order fixed,
/// so results are bit-identical whatever the number of threads.
/// </summary>
internal static class PlaneParallel
{
    /// <summary>
    /// Below this many elements touched, scheduling tasks costs more than the cores save.
    /// </summary>
    public const int MinimumParallelElements = 1 << 16;

    /// <summary>True when there are several planes and more than <see cref="MinimumParallelElements"/> elements.</summary>
    public static bool IsWorthIt(int planes, long elements) => planes > 1 && elements > MinimumParallelElements;

    /// <summary>
    /// Runs <paramref name="body"/> once per plane index in <c>[0, planes)</c>: in order on this thread when
    /// <paramref name="elements"/> (the work touched) is too small to pay for the workers, otherwise as <see cref="For"/>.
    /// </summary>
    public static void Run(int planes, long elements, Action<int> body)
    {
        if (!IsWorthIt(planes, elements))
        {
            for (int plane = 0; plane < planes; plane++) body(plane);
            return;
        }
        For(planes, body);
    }

    /// <summary>
    /// Runs <paramref name="body"/> once per plane index in <c>[0, planes)</c>, each worker of
    /// <see cref="Threads.Run"/> taking one contiguous range of planes.
    /// </summary>
    public static void For(int planes, Action<int> body)
    {
        int workers = Threads.WorkersFor(planes);
        Threads.Run(workers, worker =>
        {
            int end = (int)((long)planes * (worker + 1) / workers);
            for (int plane = (int)((long)planes * worker / workers); plane < end; plane++)
            {
                body(plane);
            }
        });
    }

    /// <summary>
    /// As <see cref="Run"/>, handing <paramref name="body"/> a scratch buffer of <paramref name="scratchLength"/> elements
    /// owned by the running worker (one per worker, not per plane).
    /// </summary>
    public static void RunWithScratch<T>(int planes, long elements, int scratchLength, Action<int, Span<T>> body)
        where T : unmanaged, INumberBase<T>
    {
        if (!IsWorthIt(planes, elements))
        {
            RunRange(0, planes, scratchLength, body);
            return;
        }

        // The library's own workers, each over one contiguous range of planes with one scratch buffer: Parallel.For
        // allocated its state on every call and waited for pool threads, which take milliseconds to wake on a busy machine.
        int workers = Threads.WorkersFor(planes);
        Threads.Run(workers, worker =>
            RunRange((int)((long)planes * worker / workers), (int)((long)planes * (worker + 1) / workers), scratchLength, body));
    }

    private static void RunRange<T>(int start, int end, int scratchLength, Action<int, Span<T>> body)
        where T : unmanaged, INumberBase<T>
    {
        T[] scratch = ArrayPool<T>.Shared.Rent(scratchLength);
        try
        {
            for (int plane = start; plane < end; plane++) body(plane, scratch.AsSpan(0, scratchLength));
        }
        finally
        {
            ArrayPool<T>.Shared.Return(scratch);
        }
    }
}
