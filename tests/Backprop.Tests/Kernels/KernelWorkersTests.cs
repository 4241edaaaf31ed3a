using System.Runtime.CompilerServices;
using Backprop.Kernels;

namespace Backprop.Tests.Kernels;

[Collection("Threads")]
public sealed class KernelWorkersTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(5)]
    public void Run_VisitsEveryIndexExactlyOnce(int workers)
    {
        var visits = new int[workers];
        Threads.Run(workers, i => Interlocked.Increment(ref visits[i]));
        Assert.All(visits, count => Assert.Equal(1, count));
    }

    [Theory]
    [InlineData(2, 2)]
    [InlineData(7, 2)]
    [InlineData(64, 2)]
    [InlineData(5, 1)]
    public void RunPieces_VisitsEveryPieceExactlyOnce_WithMorePiecesThanThreads(int pieces, int workers)
    {
        for (int job = 0; job < 200; job++)
        {
            var visits = new int[pieces];
            Threads.RunPieces(pieces, workers, i => Interlocked.Increment(ref visits[i]));
            if (visits.Any(count => count != 1)) Assert.Fail($"job {job}: visits [{string.Join(", ", visits)}]");
        }
    }

    [Fact]
    public void RunPieces_WhileAThreadIsHeldInItsPiece_TheOthersRunTheRest()
    {
        // A worker that the scheduler stops in the middle of its piece must not keep its share: the piece it holds
        // here waits until every other piece has run, which only happens if the caller claims them all.
        const int Pieces = 12;
        int caller = Environment.CurrentManagedThreadId;
        for (int job = 0; job < 5; job++)
        {
            using var others = new CountdownEvent(Pieces - 1);
            int held = 0, releasedInTime = 1;
            void Body(int piece)
            {
                if (Environment.CurrentManagedThreadId != caller && Interlocked.Exchange(ref held, 1) == 0)
                {
                    if (!others.Wait(TimeSpan.FromSeconds(10))) releasedInTime = 0;
                    return;
                }
                if (!others.IsSet) others.Signal();
            }

            Threads.RunPieces(Pieces, 2, Body);
            Assert.Equal(1, releasedInTime);
        }
    }

    [Fact]
    public void Run_ManyTinyJobsInARow_EachVisitsEveryIndexOnce_WhoeverClaimsThePieces()
    {
        // Pieces this short are often claimed by the caller before a worker wakes, and a late worker may then
        // find the next job: every piece of every job must still run exactly once, with its own job's body.
        for (int job = 0; job < 20_000; job++)
        {
            int pieces = 2 + (job % 4);
            var visits = new int[pieces];
            Threads.Run(pieces, i => Interlocked.Increment(ref visits[i]));
            if (visits.Any(count => count != 1)) Assert.Fail($"job {job}: visits [{string.Join(", ", visits)}]");
        }
    }

    [Fact]
    public void TryRun_AfterTheWorkerHasGoneToSleep_WakesItForTheNextJob()
    {
        for (int job = 0; job < 5; job++)
        {
            // Longer than a worker spins after a job (0.5 ms), so it is blocked in its wait when the job comes.
            Thread.Sleep(5);
            bool bothStarted = false;
            using var started = new CountdownEvent(2);
            void Body(int piece)
            {
                started.Signal();
                // The caller holds piece 0 until piece 1 has started: only a woken worker can start it meanwhile.
                if (piece == 0) bothStarted = started.Wait(TimeSpan.FromSeconds(10));
            }

            // Another test's kernels may hold the workers for a moment; this one needs them.
            while (!KernelWorkers.TryRun(2, 2, Body)) Thread.Sleep(1);
            Assert.True(bothStarted, $"job {job}: no worker started piece 1 while the caller waited");
        }
    }

    [Fact]
    public async Task TryRun_WhenAWorkersPieceOutlastsTheCallersSpin_WakesTheBlockedCaller()
    {
        for (int job = 0; job < 5; job++)
        {
            using var started = new CountdownEvent(2);
            bool bothStarted = false;
            void Body(int piece)
            {
                started.Signal();
                if (piece == 0) bothStarted = started.Wait(TimeSpan.FromSeconds(10));
                // Longer than the caller spins (0.5 ms): it blocks, and only the worker's pulse can release it.
                else Thread.Sleep(20);
            }

            var call = Task.Run(() =>
            {
                while (!KernelWorkers.TryRun(2, 2, Body)) Thread.Sleep(1);
            });
            // A missed wake-up would leave the caller blocked for ever: fail instead of hanging the run.
            await call.WaitAsync(TimeSpan.FromSeconds(30));
            Assert.True(bothStarted, $"job {job}: no worker started piece 1 while the caller waited");
        }
    }

    [Fact]
    public void Run_AnExceptionInAWorker_ReachesTheCallerAndTheWorkersStayUsable()
    {
        var error = Assert.Throws<InvalidOperationException>(() => Threads.Run(2, i =>
        {
            if (i == 1) throw new InvalidOperationException("piece 1 failed");
        }));
        Assert.Equal("piece 1 failed", error.Message);
        var visits = new int[2];
        Threads.Run(2, i => visits[i]++);
        Assert.Equal([1, 1], visits);
    }

    [Fact]
    public void Multiply_FromManyHostThreadsAtOnce_GivesTheSerialResult()
    {
        // A host already running models in parallel: callers that find the workers busy run serially.
        const int m = 150, n = 130, k = 170;
        var random = new Random(3);
        float[] a = GemmTests.RandomArray<float>(random, m * k), b = GemmTests.RandomArray<float>(random, k * n);
        float[] expected = ThreadCount.With(1, () =>
        {
            float[] c = new float[m * n];
            Gemm.Multiply(a, false, b, false, c, m, n, k, accumulate: false);
            return c;
        });
        var results = ThreadCount.With(2, () =>
        {
            var products = new float[8][];
            Parallel.For(0, products.Length, i =>
            {
                products[i] = new float[m * n];
                Gemm.Multiply(a, false, b, false, products[i], m, n, k, accumulate: false);
            });
            return products;
        });
        Assert.All(results, result => Assert.Equal(expected, result));
    }

    [Fact]
    public void RunPieces_LetsGoOfTheJob_OnceItsPiecesAreDone()
    {
        // A worker holds the job it was handed only while it runs it: a finished job must not keep a model alive.
        var payload = RunAndForget();
        for (int attempt = 0; attempt < 100 && payload.IsAlive; attempt++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            Thread.Sleep(10);
        }
        Assert.False(payload.IsAlive);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static WeakReference RunAndForget()
    {
        var payload = new byte[1000];
        var visits = new int[2];
        Threads.RunPieces(2, 2, i => visits[i] += payload.Length);
        Assert.Equal([1000, 1000], visits);
        return new WeakReference(payload);
    }
}
