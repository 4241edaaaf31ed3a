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
/// <remarks>
/// This file is the loop. Fit is split into small methods: a host that compiles methods with loops fully optimised on
/// first call (the <c>backprop</c> tool does) then optimises only the loops inside the first epoch, not the whole of Fit.
/// </remarks>
public static partial class ModuleTraining
{
    /// <summary>
    /// Trains <paramref name="model"/> on <paramref name="train"/> in mini-batches until the epoch limit or a
    /// stopping criterion; deterministic for a given seed. <paramref name="train"/> is any <see cref="IDataSource"/>: a
    /// <see cref="Dataset"/> in memory, or a source read as it trains (a large CSV, a folder of images). With <see cref="FitOptions.CheckpointDirectory"/> it saves checkpoints, and with
    /// <see cref="FitOptions.ResumeFrom"/> it continues one to the same bits. A non-finite loss stops training and the
    /// history names the first layer whose output went non-finite.
    /// When <paramref name="cancellationToken"/> is
    /// cancelled (it is checked before every step, so training stops after the step under way), the model holds the
    /// weights of the last completed epoch (the best one when an early-stopping criterion restores the best weights),
    /// and <see cref="TrainingCanceledException"/> (an <see cref="OperationCanceledException"/>) says which epoch that is
    /// and carries the history so far. Checkpoints already written stay.
    /// </summary>
    /// <remarks>
    /// Cancel from any thread (a Ctrl+C handler, a request's <c>HttpContext.RequestAborted</c>). A token that can be
    /// cancelled costs one copy of the weights, refreshed after each epoch. Fit itself is not thread-safe for one model:
    /// train a model on one thread at a time; several models may train at once on different threads.
    /// </remarks>
    /// <exception cref="ArgumentException">The options lack a loss or optimiser, or hold invalid values.</exception>
    /// <exception cref="TrainingCanceledException">The token was cancelled.</exception>
    public static History Fit(this Module model, IDataSource train, FitOptions options, CancellationToken cancellationToken = default)
    {
        var (loss, optimizer) = CheckedFitOptions(model, train, options);
        Warmup.NoteTrainingStarted();
        var stopping = new FitStopping(options.StopWhen);
        var history = new History();
        var arena = new StepArena();
        var total = Stopwatch.StartNew();
        var checkpoints = new FitCheckpoints(options, model, optimizer);
        int completed = checkpoints.Resume();
        var rollback = new FitRollback(model, cancellationToken);
        rollback.Keep(completed > 0 ? completed : null);
        model.Train();

        for (int epoch = completed + 1; epoch <= options.Epochs; epoch++)
        {
            options.OnEpochStart?.Invoke(epoch);
            var clock = Stopwatch.StartNew();
            var pass = TrainEpoch(model, train, epoch, loss, optimizer, options, arena, clock, cancellationToken);
            if (pass.Canceled) throw Canceled(model, history, stopping, rollback, total, options, cancellationToken);
            if (pass.NonFinite is not null) return Stopped(history, pass.NonFinite, total, options);
            var result = EndEpoch(model, train.IsClassification, epoch, pass, clock, loss, optimizer, options, arena);
            history.Add(result);
            options.OnEpochEnd?.Invoke(result);
            FitReporting.EpochEnded(options, result);
            checkpoints.AfterEpoch(result);
            rollback.Keep(epoch);

            string? reason = stopping.Reason(model, train, result, options.BatchSize);
            if (reason is not null)
            {
                history.StopReason = reason;
                history.StoppedEarly = true;
                break;
            }
        }
        Finish(model, history, stopping, options, total);
        return history;
    }

    private static (Loss Loss, Optimizer Optimizer) CheckedFitOptions(Module model, IDataSource train, FitOptions options)
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
    private readonly record struct EpochPass(double LossSum, int Seen, int Correct, double Seconds, string? NonFinite, bool Canceled = false);

    /// <summary>
    /// One pass over the batches of epoch <paramref name="epoch"/> (1-based), timed by the epoch's
    /// <paramref name="clock"/>. Every tensor of a step lives in the
    /// arena and is recycled when the step closes, before any user code runs: the next step reuses the same buffers,
    /// so memory stays flat over epochs.
    /// </summary>
    private static EpochPass TrainEpoch(
        Module model, IDataSource train, int epoch, Loss loss, Optimizer optimizer, FitOptions options, StepArena arena, Stopwatch clock, CancellationToken cancellationToken)
    {
        double lossSum = 0;
        int seen = 0, correct = 0, batchNumber = 0;
        int? batchCount = train.Count is int count ? (count + options.BatchSize - 1) / options.BatchSize : null;
        using var batches = train.Batches(epoch - 1, options.BatchSize, options.Shuffle, options.Seed).GetEnumerator();
        while (true)
        {
            double value;
            int rows;
            if (cancellationToken.IsCancellationRequested) return new(lossSum, seen, correct, 0, null, Canceled: true);
            // The source makes its batch inside the step, so an in-memory batch's rows are gathered into recycled storage too.
            using (arena.Begin())
            {
                if (!batches.MoveNext()) break;
                var batch = batches.Current;
                batchNumber++;
                rows = batch.Count;
                value = Step(model, batch, loss, optimizer, options.ClipGradNorm, ref correct);
                if (!double.IsFinite(value)) return new(lossSum, seen, correct, 0, NonFiniteLoss.Reason(model, batch.Inputs, value, epoch, batchNumber));
            }
            options.OnStep?.Invoke();

            lossSum += value * rows;
            seen += rows;
            options.OnBatchEnd?.Invoke(new BatchResult(epoch, batchNumber, batchCount, value, lossSum / seen,
                train.IsClassification ? (double)correct / seen : null, seen / Math.Max(clock.Elapsed.TotalSeconds, 1e-9)));
        }
        if (seen == 0) throw new ArgumentException("Fit: the training source gave no examples.", nameof(train));
        return new(lossSum, seen, correct, clock.Elapsed.TotalSeconds, null);
    }

    /// <summary>Validates (when asked) and sums up an epoch whose training pass has ended.</summary>
    private static EpochResult EndEpoch(Module model, bool classification, int epoch, EpochPass pass, Stopwatch clock, Loss loss, Optimizer optimizer, FitOptions options, StepArena arena)
    {
        var validation = options.Validation is null ? null : EvaluateWith(model, options.Validation, loss, options.BatchSize, arena);
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
        history.Diverged = true;
        history.Duration = total.Elapsed;
        FitReporting.Finished(options, history, diverged: true);
        return history;
    }

    /// <summary>
    /// Puts back the weights of the last completed epoch, then the best epoch's when a criterion keeps them, and makes the
    /// exception that says which.
    /// </summary>
    private static TrainingCanceledException Canceled(
        Module model, History history, FitStopping stopping, FitRollback rollback, Stopwatch total, FitOptions options, CancellationToken cancellationToken)
    {
        rollback.Restore();
        int? weightsEpoch = stopping.RestoreBestKept(model) ?? rollback.Epoch;
        history.StopReason = weightsEpoch is int epoch ? $"cancelled; the weights are those of epoch {epoch}" : "cancelled before the first epoch completed";
        history.StoppedEarly = true;
        history.RestoredEpoch = weightsEpoch;
        history.Duration = total.Elapsed;
        FitReporting.Finished(options, history, diverged: false);
        return new TrainingCanceledException(history, weightsEpoch, cancellationToken);
    }

    /// <summary>Names why training ended and, when a criterion asks for it, restores the best epoch's weights.</summary>
    private static void Finish(Module model, History history, FitStopping stopping, FitOptions options, Stopwatch total)
    {
        if (!history.StoppedEarly) history.StopReason = $"reached the epoch limit of {options.Epochs}";
        stopping.RestoreBest(model, history);
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
}
