using BenchmarkDotNet.Running;
using Backprop.Benchmarks;

if (args is ["gemm-quick", ..])
{
    GemmQuick.Run();
    return;
}

BenchmarkSwitcher.FromAssembly(typeof(GemmBenchmarks).Assembly).Run(args);
