using System.Diagnostics;
using Backprop.Data;
using Backprop.Losses;
using Backprop.NN;
using Backprop.Optimizers;
using Backprop.Tensors;

namespace Backprop.Training;

/// <summary>
/// The Keras-style training loop: <c>model.Fit(train, options)</c>, <c>model.Evaluate(test)</c>,
/// <c>model.Predict(inputs)</c>. Each step is the textbook one: forward pass, loss, backward pass
/// (the chain rule from the loss back to every weight), optimiser update.
/// </summary>
public static partial class ModuleTraining
{
    /// <summary>
    /// Trains <paramref name="model"/> on <paramref name="train"/> in mini-batches until the epoch limit or a
    /// stopping criterion; deterministic for a given seed. With <see cref="FitOptions.CheckpointDirectory"/> it saves checkpoints, and with
    /// <see cref="FitOptions.ResumeFrom"/> it continues one to the same bits. A non-finite loss stops training and the
    /// history names the first layer whose output went non-finite.
    /// </summary>
    /// <exception cref="ArgumentException">The options lack a loss or optimiser, or hold invalid values.</exception>
    public static History Fit(this Module model, Dataset train, FitOptions options)
    {
        var (loss, optimizer) = CheckedFitOptions(model, train, options);
        var loader = new DataLoader(train, options.BatchSize, options.Shuffle, options.Seed);
        var criteria = options.StopWhen?.Criteria ?? [];
        var watchers = criteria.Where(c => c.Kind == Stop.CriterionKind.NoImprovement).Select(c => new ImprovementWatcher(c)).ToList();
        var history = new History();
        var arena = new StepArena();
        var total = Stopwatch.StartNew();
        var checkpoints = new FitCheckpoints(options, model, optimizer);
        int completed = checkpoints.Resume();
        model.Train();

        for (int epoch = completed + 1; epoch <= options.Epochs; epoch++)
        {
            options.OnEpochStart?.Invoke(epoch);
            var clock = Stopwatch.StartNew();
            var pass = TrainEpoch(model, loader, epoch, loss, optimizer, options, arena, clock);
            if (pass.NonFinite is not null) return Stopped(history, pass.NonFinite, total, options);
            var result = EndEpoch(model, train.IsClassification, epoch, pass, clock, loss, optimizer, options);
            history.Add(result);
            options.OnEpochEnd?.Invoke(result);
            FitReporting.EpochEnded(options, result);
            checkpoints.AfterEpoch(result);

            string? reason = CheckCriteria(model, train, criteria, watchers, result, options.BatchSize);
            if (reason is not null)
            {
                history.StopReason = reason;
                history.StoppedEarly = true;
                break;
            }
        }
        Finish(model, history, watchers, options, total);
        return history;
    }

    private static (Loss Loss, Optimizer Optimizer) CheckedFitOptions(Module model, Dataset train, FitOptions options)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(options);
        var loss = options.Loss ?? throw new ArgumentException("Fit: FitOptions.Loss is required (e.g. new CrossEntropyLoss()).", nameof(options));
        var optimizer = options.Optimizer ?? throw new ArgumentException("Fit: FitOptions.Optimizer is required (e.g. new Sgd(model.Parameters(), 0.1)).", nameof(options));
        if (options.Epochs < 1) throw new ArgumentOutOfRangeException(nameof(options), options.Epochs, $"Fit: Epochs must be ≥ 1, got {options.Epochs}.");
        if (options.BatchSize < 1) throw new ArgumentOutOfRangeException(nameof(options), options.BatchSize, $"Fit: BatchSize must be ≥ 1, got {options.BatchSize}.");
        if (train.Count == 0) throw new ArgumentException("Fit: the training set is empty.", nameof(train));
        if (options.ClipGradNorm is double maxNorm && !(maxNorm > 0 && double.IsFinite(maxNorm)))
            throw new ArgumentOutOfRangeException(nameof(options), maxNorm, $"Fit: ClipGradNorm must be a finite number > 0, got {maxNorm}.");
        return (loss, optimizer);
    }

    /// <summary>What one pass over the training batches summed; <see cref="NonFinite"/> says why it stopped early.</summary>
    private readonly record struct EpochPass(double LossSum, int Seen, int Correct, double Seconds, string? NonFinite);

    /// <summary>
    /// One pass over the batches of epoch <paramref name="epoch"/> (1-based), timed by the epoch's
    /// <paramref name="clock"/>. Every tensor of a step lives in the
    /// arena and is recycled when the step closes, before any user code runs: the next step reuses the same buffers,
    /// so memory stays flat over epochs.
    /// </summary>
    private static EpochPass TrainEpoch(Module model, DataLoader loader, int epoch, Loss loss, Optimizer optimizer, FitOptions options, StepArena arena, Stopwatch clock)
    {
        var train = loader.Dataset;
        double lossSum = 0;
        int seen = 0, correct = 0, batchNumber = 0;
        var order = loader.Order(epoch - 1);
        for (int start = 0; start < order.Length; start += loader.BatchSize)
        {
            batchNumber++;
            int count = Math.Min(loader.BatchSize, order.Length - start);
            double value;
            using (arena.Begin())
            {
                var batch = train.Gather(new ArraySegment<int>(order, start, count));
                value = Step(model, batch, loss, optimizer, options.ClipGradNorm, ref correct);
                if (!double.IsFinite(value)) return new(lossSum, seen, correct, 0, NonFiniteReason(model, batch, value, epoch, batchNumber));
            }
            options.OnStep?.Invoke();

            lossSum += value * count;
            seen += count;
            options.OnBatchEnd?.Invoke(new BatchResult(epoch, batchNumber, loader.BatchCount, value, lossSum / seen,
                train.IsClassification ? (double)correct / seen : null, seen / Math.Max(clock.Elapsed.TotalSeconds, 1e-9)));
        }
        return new(lossSum, seen, correct, clock.Elapsed.TotalSeconds, null);
    }

    private static string NonFiniteReason(Module model, Batch batch, double value, int epoch, int batchNumber) =>
        $"the loss became {value} at epoch {epoch}, batch {batchNumber}; {NonFiniteSource(model, batch.Inputs)}";

    /// <summary>Validates (when asked) and sums up an epoch whose training pass has ended.</summary>
    private static EpochResult EndEpoch(Module model, bool classification, int epoch, EpochPass pass, Stopwatch clock, Loss loss, Optimizer optimizer, FitOptions options)
    {
        var validation = options.Validation is null ? null : model.Evaluate(options.Validation, loss);
        model.Train();
        return new EpochResult
        {
            Epoch = epoch,
            Loss = pass.LossSum / pass.Seen,
            Accuracy = classification ? (double)pass.Correct / pass.Seen : null,
            ValidationLoss = validation?.Loss,
            ValidationAccuracy = validation?.Accuracy,
            LearningRate = optimizer.LearningRate,
            Duration = clock.Elapsed,
            SamplesPerSecond = pass.Seen / Math.Max(pass.Seconds, 1e-9),
        };
    }

    private static History Stopped(History history, string reason, Stopwatch total, FitOptions options)
    {
        history.StopReason = reason;
        history.StoppedEarly = true;
        history.Duration = total.Elapsed;
        FitReporting.Finished(options, history, diverged: true);
        return history;
    }

    /// <summary>Names why training ended and, when a criterion asks for it, restores the best epoch's weights.</summary>
    private static void Finish(Module model, History history, List<ImprovementWatcher> watchers, FitOptions options, Stopwatch total)
    {
        if (!history.StoppedEarly) history.StopReason = $"reached the epoch limit of {options.Epochs}";
        var restoring = watchers.FirstOrDefault(w => w.Criterion.RestoreBestWeights && w.BestEpoch > 0 && w.BestEpoch != history.Epochs[^1].Epoch);
        if (restoring is not null)
        {
            restoring.Restore(model);
            history.RestoredEpoch = restoring.BestEpoch;
        }
        history.Duration = total.Elapsed;
        FitReporting.Finished(options, history, diverged: false);
    }

    /// <summary>
    /// One training step on one batch: forward pass, loss, backward pass, optional clipping, optimiser update; adds the
    /// rows classified correctly to <paramref name="correct"/>. Returns the batch loss; when it is not finite, nothing
    /// is updated.
    /// </summary>
    internal static double Step(Module model, Batch batch, Loss loss, Optimizer optimizer, double? clipGradNorm, ref int correct)
    {
        optimizer.ZeroGrad();
        var output = model.Forward(batch.Inputs);
        var batchLoss = LossOf(loss, output, batch);
        double value = batchLoss.Item();
        if (!double.IsFinite(value)) return value;
        batchLoss.Backward();
        if (clipGradNorm is double clip) GradientClipping.ClipGradNorm(optimizer.Parameters, clip);
        optimizer.Step();
        if (batch.Labels is not null) correct += CountCorrect(output, batch.Labels);
        return value;
    }

    /// <summary>How many rows' predicted class (as <see cref="PredictedClasses"/>) equals the label, read in place.</summary>
    private static int CountCorrect(Tensor output, int[] labels) => output.DType == DType.Float32
        ? CountCorrect(output.Span<float>(), output.Dims[^1], labels)
        : CountCorrect(output.Span<double>(), output.Dims[^1], labels);

    private static int CountCorrect<T>(ReadOnlySpan<T> values, int width, int[] labels) where T : unmanaged, System.Numerics.INumber<T>
    {
        int correct = 0;
        T half = T.CreateChecked(0.5);
        for (int r = 0; r < labels.Length; r++)
        {
            int best = 0;
            if (width == 1) best = values[r] > half ? 1 : 0;
            else
            {
                var row = values.Slice(r * width, width);
                for (int c = 1; c < width; c++) if (row[c] > row[best]) best = c;
            }
            if (best == labels[r]) correct++;
        }
        return correct;
    }

    private static string? CheckCriteria(Module model, Dataset train, IReadOnlyList<Stop.Criterion> criteria, List<ImprovementWatcher> watchers, EpochResult result, int batchSize)
    {
        foreach (var criterion in criteria)
        {
            switch (criterion.Kind)
            {
                case Stop.CriterionKind.LossBelow when result.Loss < criterion.Target:
                    return $"the training loss {result.Loss:G6} fell below {criterion.Target:G6}";
                case Stop.CriterionKind.AllCorrect when train.IsClassification:
                    var evaluation = model.Evaluate(train, null, batchSize);
                    model.Train();
                    if (evaluation.Accuracy == 1) return $"all {train.Count} training examples are classified correctly";
                    break;
            }
        }
        foreach (var watcher in watchers)
        {
            if (watcher.Observe(model, result))
                return $"{watcher.Criterion.Metric} did not improve for {watcher.Criterion.Patience} epochs " +
                    (watcher.BestEpoch > 0 ? $"(best at epoch {watcher.BestEpoch})" : "(it was never a number)");
        }
        return null;
    }

    /// <summary>Names the first layer of a Sequential model whose output is not finite for these inputs.</summary>
    private static string NonFiniteSource(Module model, Tensor inputs)
    {
        if (model is not Sequential sequential) return "the model's output is not finite";
        using (Tensor.NoGrad())
        {
            var x = inputs;
            for (int i = 0; i < sequential.Count; i++)
            {
                x = sequential[i].Forward(x);
                if (x.ToDoubleArray().Any(v => !double.IsFinite(v)))
                    return $"the first non-finite output comes from layer {i} ({sequential[i]})";
            }
        }
        return "every layer's output is finite, so the loss itself overflowed";
    }
}
