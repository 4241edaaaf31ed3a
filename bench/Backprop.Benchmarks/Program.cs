using BenchmarkDotNet.Running;
using Backprop.Benchmarks;

if (args is ["gemm-quick", ..])
{
    GemmQuick.Run(thinOnly: args is [_, "thin", ..]);
    return;
}

if (args is ["cnn-quick", ..])
{
    CnnQuick.Run();
    return;
}

if (args is ["step-quick", var dataFolder, ..])
{
    StepQuick.Run(dataFolder);
    return;
}

BenchmarkSwitcher.FromAssembly(typeof(GemmBenchmarks).Assembly).Run(args);
