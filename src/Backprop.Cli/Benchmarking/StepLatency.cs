using System.Diagnostics;
using Backprop.Losses;
using Backprop.NN;
using Backprop.Optimizers;

namespace Backprop.Cli.Benchmarking;

/// <summary>
/// step_latency: one full SGD step (zero gradients, forward, loss, backward, update) of the classic 2-2-2 sigmoid network
/// (Mazur's worked example, lr 0.5, E = Σ½(t − o)²): 10,000 steps timed after the warm-up, with the biases fixed as in
/// the reference, and again with them trained.
/// </summary>
internal sealed class StepLatency() : Workload("step_latency")
{
    public override IEnumerable<BenchResult> Run(WorkloadContext context)
    {
        double fixedBiases = TimeSteps(trainBiases: false, out double error);
        double trainedBiases = TimeSteps(trainBiases: true, out _);
        return
        [
            new BenchResult(Name)
            {
                UsPerStep = Math.Round(fixedBiases, 3),
                UsPerStepBiasesTrained = Math.Round(trainedBiases, 3),
                ErrorAfterSteps = error,
                Threads = Backprop.Threads.Count,
            },
        ];
    }

    private static double TimeSteps(bool trainBiases, out double errorAfter)
    {
        const int Steps = 10_000;
        var (model, first, second) = Textbook(trainBiases);
        var x = Tensor.FromArray([.05f, .10f], 1, 2);
        var target = Tensor.FromArray([.01f, .99f], 1, 2);
        var loss = new SquaredErrorLoss();
        var optimizer = new Sgd(model.Parameters().Where(p => p.RequiresGrad), 0.5);
        void Step()
        {
            optimizer.ZeroGrad();
            loss.Forward(model.Forward(x), target).Backward();
            optimizer.Step();
        }
        WarmUp(Step);
        SetTextbookWeights(first, second);
        long start = Stopwatch.GetTimestamp();
        for (int i = 0; i < Steps; i++) Step();
        double microseconds = Stopwatch.GetElapsedTime(start).TotalMicroseconds / Steps;
        using (Tensor.NoGrad()) errorAfter = loss.Forward(model.Forward(x), target).Item();
        return microseconds;
    }

    private static (Sequential Model, Dense First, Dense Second) Textbook(bool trainBiases)
    {
        var first = new Dense(2, 2);
        var second = new Dense(2, 2);
        SetTextbookWeights(first, second);
        first.Bias!.RequiresGrad = trainBiases;
        second.Bias!.RequiresGrad = trainBiases;
        return (new Sequential(first, new Sigmoid(), second, new Sigmoid()), first, second);
    }

    private static void SetTextbookWeights(Dense first, Dense second)
    {
        first.Weight.CopyFrom(Tensor.FromArray([.15f, .20f, .25f, .30f], 2, 2));
        first.Bias!.CopyFrom(Tensor.FromArray([.35f, .35f], 2));
        second.Weight.CopyFrom(Tensor.FromArray([.40f, .45f, .50f, .55f], 2, 2));
        second.Bias!.CopyFrom(Tensor.FromArray([.60f, .60f], 2));
    }
}
