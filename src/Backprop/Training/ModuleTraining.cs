using System.Diagnostics;
using Backprop.Data;
using Backprop.Losses;
using Backprop.NN;
using Backprop.Optimizers;

namespace Backprop;

/// <summary>
/// The Keras-style training loop: <c>model.Fit(train, options)</c>, <c>model.Evaluate(test)</c>,
/// <c>model.Predict(inputs)</c>. Each step is the textbook one: forward pass, loss, backward pass
/// (the chain rule from the loss back to every weight), optimiser update.
/// </summary>
public static class ModuleTraining
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
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(options);
        var loss = options.Loss ?? throw new ArgumentException("Fit: FitOptions.Loss is required (e.g. new CrossEntropyLoss()).", nameof(options));
        var optimizer = options.Optimizer ?? throw new ArgumentException("Fit: FitOptions.Optimizer is required (e.g. new Sgd(model.Parameters(), 0.1)).", nameof(options));
        if (options.Epochs < 1) throw new ArgumentOutOfRangeException(nameof(options), options.Epochs, $"Fit: Epochs must be ≥ 1, got {options.Epochs}.");
        if (train.Count == 0) throw new ArgumentException("Fit: the training set is empty.", nameof(train));
        if (options.ClipGradNorm is double maxNorm && !(maxNorm > 0 && double.IsFinite(maxNorm)))
            throw new ArgumentOutOfRangeException(nameof(options), maxNorm, $"Fit: ClipGradNorm must be a finite number > 0, got {maxNorm}.");

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
            double lossSum = 0;
            int seen = 0, correct = 0, batchNumber = 0;
            var order = loader.Order(epoch - 1);
            for (int start = 0; start < order.Length; start += loader.BatchSize)
            {
                batchNumber++;
                int count = Math.Min(loader.BatchSize, order.Length - start);
                double value;
                // Every tensor of the step lives in the arena and is recycled when the step closes, before any
                // user code runs: the next step reuses the same buffers, so memory stays flat over epochs.
                using (arena.Begin())
                {
                    var batch = train.Gather(new ArraySegment<int>(order, start, count));
                    optimizer.ZeroGrad();
                    var output = model.Forward(batch.Inputs);
                    var batchLoss = LossOf(loss, output, batch);
                    value = batchLoss.Item();
                    if (!double.IsFinite(value))
                    {
                        history.StopReason = $"the loss became {value} at epoch {epoch}, batch {batchNumber}; {NonFiniteSource(model, batch.Inputs)}";
                        history.StoppedEarly = true;
                        history.Duration = total.Elapsed;
                        return history;
                    }
                    batchLoss.Backward();
                    if (options.ClipGradNorm is double clip) GradientClipping.ClipGradNorm(optimizer.Parameters, clip);
                    optimizer.Step();
                    if (batch.Labels is not null) correct += CountCorrect(output, batch.Labels);
                }
                options.OnStep?.Invoke();

                lossSum += value * count;
                seen += count;
                options.OnBatchEnd?.Invoke(new BatchResult(epoch, batchNumber, loader.BatchCount, value, lossSum / seen,
                    train.IsClassification ? (double)correct / seen : null, seen / Math.Max(clock.Elapsed.TotalSeconds, 1e-9)));
            }
            double trainSeconds = clock.Elapsed.TotalSeconds;

            var validation = options.Validation is null ? null : model.Evaluate(options.Validation, loss);
            model.Train();
            var result = new EpochResult
            {
                Epoch = epoch,
                Loss = lossSum / seen,
                Accuracy = train.IsClassification ? (double)correct / seen : null,
                ValidationLoss = validation?.Loss,
                ValidationAccuracy = validation?.Accuracy,
                LearningRate = optimizer.LearningRate,
                Duration = clock.Elapsed,
                SamplesPerSecond = seen / Math.Max(trainSeconds, 1e-9),
            };
            history.Add(result);
            options.OnEpochEnd?.Invoke(result);
            checkpoints.AfterEpoch(result);

            string? reason = CheckCriteria(model, train, criteria, watchers, result, options.BatchSize);
            if (reason is not null)
            {
                history.StopReason = reason;
                history.StoppedEarly = true;
                break;
            }
        }
        if (!history.StoppedEarly) history.StopReason = $"reached the epoch limit of {options.Epochs}";
        var restoring = watchers.FirstOrDefault(w => w.Criterion.RestoreBestWeights && w.BestEpoch > 0 && w.BestEpoch != history.Epochs[^1].Epoch);
        if (restoring is not null)
        {
            restoring.Restore(model);
            history.RestoredEpoch = restoring.BestEpoch;
        }
        history.Duration = total.Elapsed;
        return history;
    }

    /// <summary>
    /// Measures <paramref name="model"/> on <paramref name="data"/> in evaluation mode, without recording a graph:
    /// loss (if given), and accuracy with a confusion matrix (classification) or mean squared and absolute error (regression).
    /// </summary>
    public static Evaluation Evaluate(this Module model, Dataset data, Loss? loss = null, int batchSize = 256)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(data);
        var outputs = model.Predict(data.Inputs, batchSize);
        double lossValue = double.NaN;
        using (Tensor.NoGrad())
        {
            if (loss is not null && data.Count > 0)
                lossValue = LossOf(loss, outputs, new Batch(data.Inputs, data.Labels, data.Targets)).Item();
        }
        if (data.Labels is not null)
        {
            int classes = Math.Max(data.ClassCount, outputs.Dims[^1] == 1 ? 2 : outputs.Dims[^1]);
            return new Evaluation { Loss = lossValue, Count = data.Count, Confusion = new ConfusionMatrix(data.Labels, PredictedClasses(outputs), classes) };
        }
        var prediction = outputs.ToDoubleArray();
        var target = data.Targets!.ToDoubleArray();
        if (prediction.Length != target.Length)
            throw new ArgumentException($"Evaluate: the model gives {ShapeMath.Format(outputs.Dims)} outputs for targets of shape {ShapeMath.Format(data.Targets.Dims)}.");
        return new Evaluation
        {
            Loss = lossValue,
            Count = data.Count,
            MeanSquaredError = prediction.Zip(target, (p, t) => (p - t) * (p - t)).DefaultIfEmpty().Average(),
            MeanAbsoluteError = prediction.Zip(target, (p, t) => Math.Abs(p - t)).DefaultIfEmpty().Average(),
        };
    }

    /// <summary>
    /// The model's outputs for <paramref name="inputs"/> [N, …], computed in batches in evaluation mode with no
    /// graph recorded; the model's training mode is restored afterwards.
    /// </summary>
    public static Tensor Predict(this Module model, Tensor inputs, int batchSize = 256)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(inputs);
        if (batchSize < 1) throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, $"Predict: batchSize must be ≥ 1, got {batchSize}.");
        bool wasTraining = model.IsTraining;
        model.Eval();
        try
        {
            using (Tensor.NoGrad())
            {
                int count = inputs.Dims[0];
                if (count <= batchSize) return model.Forward(inputs);
                var parts = new List<Tensor>();
                for (int start = 0; start < count; start += batchSize)
                    parts.Add(model.Forward(inputs.Narrow(0, start, Math.Min(batchSize, count - start))));
                return Tensor.Concat(parts, 0);
            }
        }
        finally
        {
            model.Train(wasTraining);
        }
    }

    /// <summary>The predicted class per row: the arg-max of the outputs, or output &gt; 0.5 for a single output.</summary>
    public static int[] PredictedClasses(Tensor outputs)
    {
        ArgumentNullException.ThrowIfNull(outputs);
        int width = outputs.Dims[^1], rows = outputs.Length / Math.Max(width, 1);
        var values = outputs.ToDoubleArray();
        var classes = new int[rows];
        for (int r = 0; r < rows; r++)
        {
            if (width == 1) { classes[r] = values[r] > 0.5 ? 1 : 0; continue; }
            int best = 0;
            for (int c = 1; c < width; c++) if (values[r * width + c] > values[r * width + best]) best = c;
            classes[r] = best;
        }
        return classes;
    }

    /// <summary>
    /// The loss of a batch: class indices go straight to cross-entropy; for other losses labels become a
    /// one-hot target (or a 0/1 column for a single output); targets are reshaped to the output if only the shape differs.
    /// </summary>
    internal static Tensor LossOf(Loss loss, Tensor output, Batch batch)
    {
        if (batch.Labels is not null)
        {
            if (loss is CrossEntropyLoss crossEntropy) return crossEntropy.Forward(output, batch.Labels);
            int width = output.Dims[^1];
            var target = Tensor.Zeros(output.DType, output.Dims);
            for (int i = 0; i < batch.Labels.Length; i++)
            {
                int at = width == 1 ? i : i * width + batch.Labels[i];
                if (width > 1 && batch.Labels[i] >= width)
                    throw new ArgumentException($"Fit: label {batch.Labels[i]} does not fit the model's {width} outputs.");
                if (output.DType == DType.Float32) target.Span<float>()[at] = width == 1 ? batch.Labels[i] : 1;
                else target.Span<double>()[at] = width == 1 ? batch.Labels[i] : 1;
            }
            return loss.Forward(output, target);
        }
        var targets = batch.Targets!.DType == output.DType ? batch.Targets : batch.Targets.ToDType(output.DType);
        if (targets.Length == output.Length && !targets.Dims.AsSpan().SequenceEqual(output.Dims)) targets = targets.Reshape(output.Dims);
        return loss.Forward(output, targets);
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
                return $"{watcher.Criterion.Monitor} did not improve for {watcher.Criterion.Patience} epochs (best at epoch {watcher.BestEpoch})";
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

    /// <summary>Tracks one early-stopping criterion: the best value so far, its epoch and weights, and how long since.</summary>
    private sealed class ImprovementWatcher(Stop.Criterion criterion)
    {
        private double _best = double.NaN;
        private int _waited;
        private Tensor[]? _bestWeights;

        public Stop.Criterion Criterion { get; } = criterion;

        public int BestEpoch { get; private set; }

        /// <summary>Records the epoch; true when patience has run out.</summary>
        public bool Observe(Module model, EpochResult result)
        {
            bool higherIsBetter = Criterion.Monitor == Monitor.ValidationAccuracy;
            double? value = higherIsBetter ? result.ValidationAccuracy ?? result.Accuracy : result.ValidationLoss ?? result.Loss;
            if (value is not double current) return false;
            bool improved = double.IsNaN(_best) || (higherIsBetter ? current > _best + Criterion.MinDelta : current < _best - Criterion.MinDelta);
            if (improved)
            {
                _best = current;
                BestEpoch = result.Epoch;
                _waited = 0;
                if (Criterion.RestoreBestWeights) _bestWeights = model.Parameters().Select(p => p.Clone()).ToArray();
                return false;
            }
            return ++_waited >= Criterion.Patience;
        }

        public void Restore(Module model)
        {
            if (_bestWeights is null) return;
            foreach (var (parameter, best) in model.Parameters().Zip(_bestWeights)) parameter.CopyFrom(best);
        }
    }
}
