using System.Diagnostics;
using Backprop.Data;
using Backprop.Losses;
using Backprop.NN;
using Backprop.Optimizers;
using Backprop.Training;

namespace Backprop.Cli.Benchmarking;

/// <summary>
/// The six workloads of the libtorch reference benchmark (shared/libtorch-reference/Program.cs), with the
/// same shapes, batch sizes, learning rates, epochs and data, measured the same way (wall time of whole
/// epochs, medians of repeated kernel calls, per-call latency).
/// </summary>
internal sealed class Workloads(MnistData data, int seed)
{
    private readonly Dataset _train = data.Train.ToDataset();
    private readonly Dataset _test = data.Test.ToDataset();

    // The CNN sees the same pixels as [N, 1, 28, 28]: a reshape shares the storage, no copy.
    private Dataset TrainImages => new(_train.Inputs.Reshape(-1, 1, 28, 28), _train.Labels!, _train.ClassCount);

    private Dataset TestImages => new(_test.Inputs.Reshape(-1, 1, 28, 28), _test.Labels!, _test.ClassCount);

    /// <summary>
    /// Whether the workload times whole training epochs, the first included (as the reference does), rather than
    /// calls made after warm-up calls of its own.
    /// </summary>
    public static bool TimesFirstEpoch(string name) => name is "mlp_train" or "mlp_train_big" or "cnn_train";

    /// <summary>The names, in the order the reference runs them.</summary>
    public static readonly string[] Names = ["mlp_train", "mlp_train_big", "cnn_train", "gemm", "step_latency", "infer_latency", "infer_batch", "lstm_train"];

    public IEnumerable<BenchResult> Run(string name) => name switch
    {
        "mlp_train" => [TrainMlp(name, [784, 128, 10], batch: 64, epochs: 5)],
        "mlp_train_big" => [TrainMlp(name, [784, 512, 256, 10], batch: 128, epochs: 3)],
        "cnn_train" => [TrainCnn()],
        "gemm" => GemmAfterTieringUp([256, 512, 1024, 2048]),
        "step_latency" => [StepLatency()],
        "infer_latency" => InferenceWorkloads.Latency(seed),
        "infer_batch" => InferenceWorkloads.Batch(seed),
        "lstm_train" => [LstmTrain()],
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "unknown workload"),
    };

    /// <summary>ReLU MLP, cross-entropy, plain SGD at lr 0.1, reshuffled every epoch.</summary>
    private BenchResult TrainMlp(string name, int[] sizes, int batch, int epochs)
    {
        Rng.ManualSeed(seed);
        var model = ReluMlp.Build(sizes);
        return Train(name, model, _train, _test, batch, epochs, new Sgd(model.Parameters(), 0.1));
    }

    /// <summary>Conv2d(1,8,3,p1)-ReLU-MaxPool2-Conv2d(8,16,3,p1)-ReLU-MaxPool2-Flatten-Dense(784,10), SGD lr 0.05 momentum 0.9, batch 64, 2 epochs.</summary>
    private BenchResult TrainCnn()
    {
        Rng.ManualSeed(seed);
        var model = new Sequential(
            new Conv2d(1, 8, 3, padding: 1), new ReLU(), new MaxPool2d(2),
            new Conv2d(8, 16, 3, padding: 1), new ReLU(), new MaxPool2d(2),
            new Flatten(), new Dense(16 * 7 * 7, 10));
        return Train("cnn_train", model, TrainImages, TestImages, batch: 64, epochs: 2, new Sgd(model.Parameters(), 0.05, momentum: 0.9));
    }

    private BenchResult Train(string name, Module model, Dataset train, Dataset test, int batch, int epochs, Optimizer optimizer)
    {
        long allocatedAtLastEpoch = 0, allocatedInLastEpoch = 0;
        var clock = Stopwatch.StartNew();
        var history = model.Fit(train, new FitOptions
        {
            Epochs = epochs,
            BatchSize = batch,
            Loss = new CrossEntropyLoss(),
            Optimizer = optimizer,
            Seed = seed,
            OnEpochStart = epoch => { if (epoch == epochs) allocatedAtLastEpoch = GC.GetTotalAllocatedBytes(precise: true); },
            OnEpochEnd = result => { if (result.Epoch == epochs) allocatedInLastEpoch = GC.GetTotalAllocatedBytes(precise: true) - allocatedAtLastEpoch; },
        });
        double seconds = clock.Elapsed.TotalSeconds;
        int steps = (train.Count + batch - 1) / batch;
        return new BenchResult(name)
        {
            SamplesPerS = Math.Round(train.Count * (double)epochs / seconds, 1),
            SecPerEpoch = [.. history.Epochs.Select(e => Math.Round(e.Duration.TotalSeconds, 4))],
            FinalTrainLoss = Math.Round(history.Epochs[^1].Loss, 5),
            TestAccuracy = Math.Round(model.Evaluate(test).Accuracy ?? double.NaN, 4),
            AllocBytesPerStep = Math.Round((double)allocatedInLastEpoch / steps),
            PeakRssMb = PeakRssMb(),
            Threads = Backprop.Threads.Count,
        };
    }

    /// <summary>
    /// The sizes' products, after small products through the same calls until the JIT compiler is done with them:
    /// 13 calls per size would otherwise cross its 30-call threshold while some size is timed.
    /// </summary>
    private IEnumerable<BenchResult> GemmAfterTieringUp(int[] sizes)
    {
        var small = Tensor.RandomNormal([128, 128], seed);
        var product = Tensor.Zeros(128, 128);
        using (Tensor.NoGrad()) CompilerQuiet.WarmUntilQuiet(() => small.MatMul(small, product));
        foreach (int n in sizes) yield return Gemm(n);
    }

    /// <summary>
    /// C = A·B for random N×N float32 matrices: median of 10 timed products after warm-ups (at least 3, as the
    /// reference, and at least 0.3 s: the first products after a size's matrices are allocated often ran at half
    /// speed, as if the worker's core were taken, five or so in a row). The product goes into one output tensor, as
    /// libtorch's disposed results go back to its allocator and come out again: a fresh 4–16 MB array per call
    /// instead cost 5–10% in first-touch page faults.
    /// </summary>
    private BenchResult Gemm(int n)
    {
        var a = Tensor.RandomNormal([n, n], seed);
        var b = Tensor.RandomNormal([n, n], seed + 1);
        var c = Tensor.Zeros(n, n);
        var times = new double[10];
        using (Tensor.NoGrad())
        {
            var warming = Stopwatch.StartNew();
            for (int i = 0; i < 3 || warming.Elapsed < TimeSpan.FromSeconds(0.3); i++) a.MatMul(b, c);
            for (int i = 0; i < times.Length; i++)
            {
                long start = Stopwatch.GetTimestamp();
                a.MatMul(b, c);
                times[i] = Stopwatch.GetElapsedTime(start).TotalSeconds;
            }
        }
        Array.Sort(times);
        double median = (times[4] + times[5]) / 2;
        return new BenchResult("gemm")
        {
            N = n,
            MedianMs = Math.Round(median * 1e3, 4),
            Gflops = Math.Round(2.0 * n * n * n / median / 1e9, 2),
            Threads = Backprop.Threads.Count,
        };
    }

    /// <summary>
    /// One full SGD step (zero gradients, forward, loss, backward, update) of the classic 2-2-2 sigmoid network
    /// (Mazur's worked example, lr 0.5, E = Σ½(t − o)²): 10,000 steps timed after 1,000 warm-up steps.
    /// </summary>
    private static BenchResult StepLatency()
    {
        double fixedBiases = TimeSteps(trainBiases: false, out double error);
        double trainedBiases = TimeSteps(trainBiases: true, out _);
        return new BenchResult("step_latency")
        {
            UsPerStep = Math.Round(fixedBiases, 3),
            UsPerStepBiasesTrained = Math.Round(trainedBiases, 3),
            ErrorAfterSteps = error,
            Threads = Backprop.Threads.Count,
        };
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

    /// <summary>
    /// Lstm training throughput (not in the libtorch reference; issue 6 asks for it): one full step — forward
    /// through 50 time steps, backward through time, SGD update — at batch 32, input 32, hidden 128, float32,
    /// in tokens (time steps × batch) per second, median of 10 timed steps.
    /// </summary>
    private BenchResult LstmTrain()
    {
        const int Batch = 32, Steps = 50, InputSize = 32, Hidden = 128, Runs = 10;
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
        return new BenchResult("lstm_train")
        {
            TokensPerS = Math.Round(Batch * Steps / median, 1),
            MedianMs = Math.Round(median * 1e3, 3),
            Threads = Backprop.Threads.Count,
        };
    }

    /// <summary>
    /// The reference's 1,000 warm-up calls, and at least half a second of them: .NET compiles a method again, optimised,
    /// only after it has run for a while, and a latency measured before that measures the first-pass code.
    /// </summary>
    private static void WarmUp(Action call)
    {
        var clock = Stopwatch.StartNew();
        for (int i = 0; i < 1_000 || clock.Elapsed < TimeSpan.FromSeconds(0.5); i++) call();
        CompilerQuiet.WarmUntilQuiet(call);
    }

    private static double PeakRssMb()
    {
        using var process = Process.GetCurrentProcess();
        return Math.Round(process.PeakWorkingSet64 / 1048576.0, 1);
    }
}
