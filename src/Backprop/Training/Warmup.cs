using Backprop.Data;
using Backprop.Losses;
using Backprop.NN;
using Backprop.Optimizers;
using Backprop.Tensors;

namespace Backprop.Training;

/// <summary>
/// Compiles the code of training and inference ahead of the first real step, on a background thread, so that a
/// host that starts cold can overlap the JIT compiler's work with its own (loading data, parsing options).
/// </summary>
/// <remarks>
/// <para>
/// .NET compiles a method the first time it runs, and Backprop's vectorised kernels are compiled fully optimised
/// from the start, so the first training step costs hundreds of times a later one, a large share of a short run.
/// </para>
/// <para>
/// The warm-up trains a small dense network (Dense, ReLU, dropout, cross-entropy, plain SGD and SGD with Nesterov
/// momentum, the fit loop, evaluation and single-sample prediction) for a few steps, with products large enough to
/// take the paths of real ones (packed, dot-product and vector kernels, on the workers). It uses its own seeds and thread, so it changes
/// no result of the caller's: seeded training stays bit-identical with or without it. Once a real
/// <see cref="ModuleTraining.Fit"/> has started, the warm-up stops after the part it is in (a plain fit first, then
/// dropout, the momentum update, the regularised fit, which stops after the step under way, batch prediction and
/// evaluation), so it does not take a core from the training's kernels for long; what it left out is compiled when first
/// used. A host that only predicts gets the whole warm-up.
/// </para>
/// <example>
/// <code>
/// var warming = Warmup.Start();          // first thing at start-up
/// var data = MnistFolder.Load(folder);   // the compiler works meanwhile
/// model.Fit(data.Train.ToDataset(), options);
/// </code>
/// </example>
/// </remarks>
public static class Warmup
{
    private static readonly Lazy<Task> Started = new(() => Task.Run(Run));

    /// <summary>Set when a <see cref="ModuleTraining.Fit"/> other than the warm-up's own has started.</summary>
    private static volatile bool trainingStarted;

    /// <summary>Cancelled when a real training starts: the warm-up's regularised fit then stops after the step under way.</summary>
    private static readonly CancellationTokenSource TrainingStartedSource = new();

    [ThreadStatic] private static bool isWarmupThread;

    /// <summary>
    /// Starts the warm-up on a thread-pool thread, once per process (later calls return the same task, so a
    /// component can wait for a warm-up its host started); the task completes when the warm-up is done.
    /// </summary>
    public static Task Start() => Started.Value;

    /// <summary>
    /// Called by <see cref="ModuleTraining.Fit"/>: from then on the warm-up stops between its parts. The training
    /// compiles what it uses as it goes, and a warm-up still running took a core from its kernels: the first epoch of
    /// the 784-128-10 MLP benchmark went from a median of about 0.044 s to 0.038 s (later epochs 0.027 s; 7 December
    /// 2026, 2-core AMD EPYC).
    /// </summary>
    internal static void NoteTrainingStarted()
    {
        if (isWarmupThread || trainingStarted) return;
        trainingStarted = true;
        TrainingStartedSource.Cancel();
    }

    private static void Run()
    {
        isWarmupThread = true;
        try
        {
            CompileTrainingAndInference();
        }
        finally
        {
            isWarmupThread = false;
        }
    }

    private static void CompileTrainingAndInference()
    {
        // 528 inputs: more than 2^16 weights in the first layer, so the update takes the parallel path real layers take,
        // and a weight gradient whose last 16 columns are packed while the others are read in place; 528 is still a whole
        // number of 512-bit vectors, so no dot product takes the one-by-one tail that 784 inputs never need.
        const int Examples = 64, Inputs = 528, Hidden = 128, Classes = 10;
        var inputs = Tensor.RandomUniform([Examples, Inputs], seed: 1);
        var labels = new int[Examples];
        for (int i = 0; i < labels.Length; i++) labels[i] = i % Classes;
        var data = new Dataset(inputs, labels, Classes);

        // A whole plain fit comes first, its loop and epoch end with its step: a host that starts training once this
        // part is done meets little it has to compile itself. The step alone first left the loop's first-time costs
        // to the host: the first epoch of the 784-128-10 MLP benchmark, whose data loads while this part runs, took
        // 0.035-0.041 s against 0.028-0.029 s after a whole fit (later epochs 0.026 s; 7 December 2026, 2-core AMD EPYC).
        var plain = new Sequential(new Dense(Inputs, Hidden, seed: 2), new ReLU(), new Dense(Hidden, Classes, seed: 4));
        plain.Fit(data, new FitOptions
        {
            Epochs = 1,
            BatchSize = Examples / 2,
            Loss = new CrossEntropyLoss(),
            Optimizer = new Sgd(plain.Parameters(), 0.01),
            Seed = 5,
        });
        if (trainingStarted) return;

        // The parts after the plain fit compile what a real training needs only later, if at all, and each is short, so
        // that a training that starts meanwhile shares the cores with at most one of them compiling: with dropout and
        // momentum left to the regularised fit's first step, a training that started during that step had 20-26 ms of
        // compiling beside its first epoch (7 December 2026, 2-core Intel Xeon).
        var regularised = new Sequential(new Dense(Inputs, Hidden, seed: 2), new ReLU(), new Dropout(0.2, seed: 3), new Dense(Hidden, Classes, seed: 4));
        var loss = new CrossEntropyLoss();
        loss.Forward(regularised.Layers[2].Forward(Tensor.RandomUniform([Examples, Hidden], seed: 6).RequireGrad()), labels).Backward();
        if (trainingStarted) return;
        var momentum = new Sgd(regularised.Parameters(), 0.01, momentum: 0.9, nesterov: true);
        loss.Forward(regularised.Layers[0].Forward(inputs), labels).Backward();
        momentum.Step();
        if (trainingStarted) return;

        // The regularised fit stops after the step under way once a training has started.
        try
        {
            regularised.Fit(data, new FitOptions
            {
                Epochs = 1,
                BatchSize = Examples / 2,
                Loss = loss,
                Optimizer = momentum,
                Seed = 5,
            }, TrainingStartedSource.Token);
        }
        catch (TrainingCanceledException)
        {
            return;
        }

        if (trainingStarted) return;
        regularised.Predict(inputs);
        if (trainingStarted) return;
        regularised.Evaluate(data);
        if (trainingStarted) return;
        using (Tensor.NoGrad()) regularised.Forward(inputs.Narrow(0, 0, 1));
    }
}
