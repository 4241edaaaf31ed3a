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
/// no result of the caller's: seeded training stays bit-identical with or without it.
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

    /// <summary>
    /// Starts the warm-up on a thread-pool thread, once per process (later calls return the same task, so a
    /// component can wait for a warm-up its host started); the task completes when the warm-up is done.
    /// </summary>
    public static Task Start() => Started.Value;

    private static void Run()
    {
        const int Examples = 64, Inputs = 256, Hidden = 128, Classes = 10;
        var inputs = Tensor.RandomUniform([Examples, Inputs], seed: 1);
        var labels = new int[Examples];
        for (int i = 0; i < labels.Length; i++) labels[i] = i % Classes;
        var data = new Dataset(inputs, labels, Classes);

        // The training step comes first, before the fit loop's own code: a host that starts training while the
        // warm-up is still running compiles the loop's set-up on its thread while this one compiles the step.
        var plain = new Sequential(new Dense(Inputs, Hidden, seed: 2), new ReLU(), new Dense(Hidden, Classes, seed: 4));
        TrainSteps(plain, data, new Sgd(plain.Parameters(), 0.01));

        var regularised = new Sequential(new Dense(Inputs, Hidden, seed: 2), new ReLU(), new Dropout(0.2, seed: 3), new Dense(Hidden, Classes, seed: 4));
        regularised.Fit(data, new FitOptions
        {
            Epochs = 1,
            BatchSize = Examples / 2,
            Loss = new CrossEntropyLoss(),
            Optimizer = new Sgd(regularised.Parameters(), 0.01, momentum: 0.9, nesterov: true),
            Seed = 5,
        });
        regularised.Evaluate(data);
        using (Tensor.NoGrad()) regularised.Forward(inputs.Narrow(0, 0, 1));
    }

    /// <summary>Two steps as the fit loop takes them (the second finds gradient buffers in place), on half the examples.</summary>
    private static void TrainSteps(Module model, Dataset data, Optimizer optimizer)
    {
        var arena = new StepArena();
        var rows = new int[data.Count / 2];
        for (int i = 0; i < rows.Length; i++) rows[i] = 2 * i;
        var loss = new CrossEntropyLoss();
        int correct = 0;
        for (int step = 0; step < 2; step++)
        {
            using (arena.Begin()) ModuleTraining.Step(model, data.Gather(new ArraySegment<int>(rows)), loss, optimizer, null, ref correct);
        }
    }
}
