using System.Diagnostics;

namespace Backprop.Cli.Benchmarking;

/// <summary>
/// One workload of <c>backprop bench</c>: the settings of the libtorch reference benchmark's workload of the same name
/// (shared/libtorch-reference/Program.cs), measured the same way.
/// </summary>
internal abstract class Workload(string name)
{
    /// <summary>The reference's name for the workload, as <c>--only</c> takes it and the JSON lines report it.</summary>
    public string Name { get; } = name;

    /// <summary>
    /// Whether the workload times whole training epochs, the first included (as the reference does), rather than
    /// calls made after warm-up calls of its own.
    /// </summary>
    public virtual bool TimesFirstEpoch => false;

    /// <summary>Runs the workload once; most give one result, gemm one per matrix size.</summary>
    public abstract IEnumerable<BenchResult> Run(WorkloadContext context);

    /// <summary>
    /// The reference's 1,000 warm-up calls, and at least half a second of them, then until the compiler is quiet: .NET
    /// compiles a method again, optimised, only after it has run for a while, and a latency measured before that
    /// measures the first-pass code.
    /// </summary>
    protected static void WarmUp(Action call)
    {
        var clock = Stopwatch.StartNew();
        for (int i = 0; i < 1_000 || clock.Elapsed < TimeSpan.FromSeconds(0.5); i++) call();
        CompilerQuiet.WarmUntilQuiet(call);
    }
}
