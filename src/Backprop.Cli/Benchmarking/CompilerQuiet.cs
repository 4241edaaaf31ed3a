using System.Diagnostics;
using System.Runtime;

namespace Backprop.Cli.Benchmarking;

/// <summary>
/// Repeats a call until the JIT compiler has nothing left to recompile in it, before calls are timed. .NET
/// recompiles a method optimised after its 30th call, on a background thread; on a two-core machine that thread
/// takes the core a kernel's second piece was to run on, and the calling thread then runs both pieces: the JIT's log
/// showed the gemm workload's calls recompiled while a size was timed, in the rounds where its products were slow.
/// </summary>
internal static class CompilerQuiet
{
    private const int CallsPerRound = 50;

    /// <summary>
    /// The runtime counts calls only once it has compiled no new method for 100 ms: a round that compiled nothing
    /// may still have gone uncounted, so only the second such round in a row shows the calls are done with.
    /// </summary>
    private const int QuietRoundsNeeded = 2;

    /// <summary>Longer than that 100 ms, so the next round's calls count.</summary>
    private static readonly TimeSpan Pause = TimeSpan.FromMilliseconds(150);

    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(5);

    /// <summary>Rounds of 50 calls and a 150 ms pause until two rounds in a row compile nothing (at most 5 s).</summary>
    public static void WarmUntilQuiet(Action call)
    {
        var clock = Stopwatch.StartNew();
        int quietRounds = 0;
        while (quietRounds < QuietRoundsNeeded && clock.Elapsed < Limit)
        {
            long before = JitInfo.GetCompiledMethodCount();
            for (int i = 0; i < CallsPerRound; i++) call();
            Thread.Sleep(Pause);
            quietRounds = JitInfo.GetCompiledMethodCount() == before ? quietRounds + 1 : 0;
        }
    }
}
