using System.Diagnostics;
using Backprop.Losses;
using Backprop.NN;
using Backprop.Optimizers;

namespace Backprop.Cli.Benchmarking;

/// <summary>
/// lstm_train (not in the libtorch reference; issue 6 asks for it): one full step — forward through 50 time steps,
/// backward through time, SGD update — at batch 32, input 32, hidden 128, float32, in tokens (time steps × batch) per
/// second, median of 10 timed steps.
/// </summary>
internal sealed class LstmTraining() : Workload("lstm_train")
{
    public override IEnumerable<BenchResult> Run(WorkloadContext context)
    {
        const int Batch = 32, Steps = 50, InputSize = 32, Hidden = 128, Runs = 10;
        int seed = context.Seed;
        var lstm = new Lstm(InputSize, Hidden, seed: seed);
        var head = new Dense(Hidden, 1, seed: seed + 1);
        var optimizer = new Sgd(lstm.Parameters().Concat(head.Parameters()), learningRate: 0.01);
        var inputs = Tensor.RandomNormal([Steps, Batch, InputSize], seed + 2);
        var targets = Tensor.RandomNormal([Batch, 1], seed + 3);
        var loss = new MseLoss();
        void Step()
        {
            optimizer.ZeroGrad();
            loss.Forward(head.Forward(lstm.ForwardWithState(inputs).LastHidden), targets).Backward();
            optimizer.Step();
        }
        for (int i = 0; i < 3; i++) Step();
        var seconds = new double[Runs];
        for (int i = 0; i < Runs; i++)
        {
            long start = Stopwatch.GetTimestamp();
            Step();
            seconds[i] = Stopwatch.GetElapsedTime(start).TotalSeconds;
        }
        Array.Sort(seconds);
        double median = (seconds[Runs / 2 - 1] + seconds[Runs / 2]) / 2;
        return
        [
            new BenchResult(Name)
            {
                TokensPerS = Math.Round(Batch * Steps / median, 1),
                MedianMs = Math.Round(median * 1e3, 3),
                Threads = Backprop.Threads.Count,
            },
        ];
    }
}
