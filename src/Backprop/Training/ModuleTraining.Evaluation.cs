using Backprop.Data;
using Backprop.Losses;
using Backprop.NN;
using Backprop.Tensors;

namespace Backprop.Training;

/// <summary>Measuring and running a trained model: <c>model.Evaluate(test)</c>, <c>model.Predict(inputs)</c>.</summary>
public static partial class ModuleTraining
{
    /// <summary>
    /// Measures <paramref name="model"/> on <paramref name="data"/> with evaluation semantics (<see cref="InferenceMode"/>;
    /// the model is not changed), without recording a graph:
    /// loss (if given), and accuracy with a confusion matrix (classification) or mean squared and absolute error (regression).
    /// The examples go through in batches of <paramref name="batchSize"/> in the source's order, so memory holds one
    /// batch's outputs, not every example's; the loss of a mean or summed loss is the same over batches as over the
    /// whole set, up to rounding.
    /// </summary>
    /// <exception cref="NotSupportedException">The loss does not say whether it is a mean or a sum (a loss of your own) and the data is not in memory, so it cannot be added up over batches.</exception>
    public static Evaluation Evaluate(this Module model, IDataSource data, Loss? loss = null, int batchSize = 256) =>
        Evaluate(model, data, loss, onBatch: null, batchSize);

    /// <summary>
    /// As <see cref="Evaluate(Module, IDataSource, Loss?, int)"/>, handing <paramref name="onBatch"/> each batch and the
    /// model's predictions for it as they are measured: every example once, in the source's order, in the one pass over
    /// the data. A caller that wants more than the totals (points for a predicted-against-actual plot, the worst
    /// examples) keeps it here instead of reading the data a second time.
    /// </summary>
    /// <param name="model">The model to measure.</param>
    /// <param name="data">The examples, read once.</param>
    /// <param name="loss">The loss to report, or null for none.</param>
    /// <param name="onBatch">Called after each batch is measured, on the calling thread; null for no hook. The batch is valid only during the call (see <see cref="EvaluatedBatch"/>); an exception it throws ends the evaluation.</param>
    /// <param name="batchSize">Examples per batch, ≥ 1 (the whole set at once for a loss that is neither a mean nor a sum).</param>
    /// <example>
    /// <code>
    /// var errors = new List&lt;double&gt;();   // each example's prediction − target, kept as the one pass goes by
    /// var evaluation = model.Evaluate(test, new MseLoss(), batch =>
    /// {
    ///     double[] predicted = batch.Predictions.ToDoubleArray(), actual = batch.Batch.Targets!.ToDoubleArray();
    ///     for (int i = 0; i &lt; predicted.Length; i++) errors.Add(predicted[i] - actual[i]);
    /// });
    /// </code>
    /// </example>
    /// <exception cref="NotSupportedException">The loss does not say whether it is a mean or a sum (a loss of your own) and the data is not in memory, so it cannot be added up over batches.</exception>
    public static Evaluation Evaluate(this Module model, IDataSource data, Loss? loss, Action<EvaluatedBatch>? onBatch, int batchSize = 256)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(data);
        if (batchSize < 1) throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, $"Evaluate: batchSize must be ≥ 1, got {batchSize}.");
        if (loss is not null && loss.Combination is null)
        {
            // A loss that does not say it is a mean or a sum may not add up over batches: it sees every example at once.
            batchSize = data is Dataset inMemory ? Math.Max(inMemory.Count, 1)
                : throw new NotSupportedException($"Evaluate: {loss.GetType().Name} does not say whether it is a mean or a sum over examples, so it cannot be added up over the batches of a streamed source; load the data into a Dataset.");
        }
        // Evaluation semantics for this call only: the model's own mode is not touched, so other threads may use it.
        using (InferenceMode.Enter())
            return EvaluateInBatches(model, data, loss, batchSize, arena: null, onBatch);
    }

    /// <summary>
    /// <see cref="Evaluate(Module, IDataSource, Loss?, int)"/> inside <see cref="Fit"/>: validation runs in the training loop's arena at the training batch
    /// size, whose buffers (and the convolutions' pooled work arrays) the training steps have already made, so a validation
    /// pass allocates next to nothing. At a batch size of its own it would keep a second set: validating a CNN on 32×32
    /// RGB images at 256 while training at 64 kept ~130 MB more resident.
    /// </summary>
    internal static Evaluation EvaluateWith(Module model, IDataSource data, Loss loss, int batchSize, StepArena arena)
    {
        if (loss.Combination is null) return model.Evaluate(data, loss, batchSize);
        using (InferenceMode.Enter())
            return EvaluateInBatches(model, data, loss, batchSize, arena, onBatch: null);
    }

    /// <summary>
    /// The batches go through one at a time, each in a step of <paramref name="arena"/> when there is one (its buffers
    /// recycled for the next batch), else with the thread's inference buffers; everything kept from a batch (its loss,
    /// its classes, its errors) is copied out before its step closes, and <paramref name="onBatch"/> sees it before then.
    /// </summary>
    private static Evaluation EvaluateInBatches(Module model, IDataSource data, Loss? loss, int batchSize, StepArena? arena, Action<EvaluatedBatch>? onBatch)
    {
        int count = 0, width = 0;
        var actual = data.IsClassification ? new List<int>(data.Count ?? 0) : null;
        var predicted = data.IsClassification ? new List<int>(data.Count ?? 0) : null;
        double lossSum = 0, squaredError = 0, absoluteError = 0, targetSum = 0, targetSquares = 0;
        long values = 0;
        using var batches = data.Batches(epoch: 0, batchSize, shuffle: false, seed: 0).GetEnumerator();
        while (true)
        {
            using var step = arena?.Begin();
            if (!batches.MoveNext()) break;
            var batch = batches.Current;
            var outputs = model.Forward(batch.Inputs);
            width = outputs.Dims[^1];
            count += batch.Count;
            if (loss is not null) lossSum += LossOf(loss, outputs, batch).Item() * (loss.Combination == Reduction.Sum ? 1 : batch.Count);
            if (batch.Labels is not null)
            {
                actual!.AddRange(batch.Labels);
                predicted!.AddRange(PredictedClasses(outputs));
            }
            else
            {
                var prediction = outputs.ToDoubleArray();
                var target = batch.Targets!.ToDoubleArray();
                if (prediction.Length != target.Length)
                    throw new ArgumentException($"Evaluate: the model gives {ShapeMath.Format(outputs.Dims)} outputs for targets of shape {ShapeMath.Format(batch.Targets.Dims)}.");
                values += prediction.Length;
                for (int i = 0; i < prediction.Length; i++)
                {
                    double error = prediction[i] - target[i];
                    squaredError += error * error;
                    absoluteError += Math.Abs(error);
                    targetSum += target[i];
                    targetSquares += target[i] * target[i];
                }
            }
            onBatch?.Invoke(new EvaluatedBatch(batch, outputs));
        }
        double lossValue = loss is null || count == 0 ? double.NaN : loss.Combination == Reduction.Sum ? lossSum : lossSum / count;
        if (actual is not null)
        {
            int classes = Math.Max(data.ClassCount, width == 1 ? 2 : width);
            return new Evaluation { Loss = lossValue, Count = count, Confusion = new ConfusionMatrix(actual, predicted!, Math.Max(classes, 1)) };
        }
        return new Evaluation
        {
            Loss = lossValue,
            Count = count,
            MeanSquaredError = values == 0 ? 0 : squaredError / values,
            MeanAbsoluteError = values == 0 ? 0 : absoluteError / values,
            RSquared = values == 0 ? null : RSquared(squaredError, targetSum, targetSquares, values),
        };
    }

    /// <summary>1 − SSE/SST, with SST = Σt² − (Σt)²/n; null when the targets are all equal (SST = 0), where R² is undefined.</summary>
    private static double? RSquared(double squaredError, double targetSum, double targetSquares, long values)
    {
        double total = targetSquares - targetSum * targetSum / values;
        return total > 1e-12 * Math.Max(targetSquares, 1e-300) ? 1 - squaredError / total : null;
    }

    /// <summary>
    /// The model's outputs for every example of <paramref name="data"/>, batch by batch in the source's order, with
    /// evaluation semantics (<see cref="InferenceMode"/>) and no graph recorded: a source larger than memory is predicted in bounded memory. Each
    /// yielded tensor is [batch, …] and the caller's to keep.
    /// </summary>
    public static IEnumerable<Tensor> PredictBatches(this Module model, IDataSource data, int batchSize = 256)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(data);
        if (batchSize < 1) throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, $"PredictBatches: batchSize must be ≥ 1, got {batchSize}.");
        return Batches();

        IEnumerable<Tensor> Batches()
        {
            foreach (var batch in data.Batches(epoch: 0, batchSize, shuffle: false, seed: 0))
                yield return model.Predict(batch.Inputs, batchSize);
        }
    }

    /// <summary>
    /// The loss of a batch: class indices go straight to cross-entropy; for other losses labels become a
    /// one-hot target (or a 0/1 column for a single output); targets are reshaped to the output if only the shape differs.
    /// </summary>
    internal static Tensor LossOf(Loss loss, Tensor output, Batch batch)
    {
        if (batch.Labels is not null)
        {
            return loss is CrossEntropyLoss crossEntropy ? crossEntropy.Forward(output, batch.Labels) : LossOfOneHot(loss, output, batch.Labels);
        }
        var targets = batch.Targets!.DType == output.DType ? batch.Targets : batch.Targets.ToDType(output.DType);
        if (targets.Length == output.Length && !targets.Dims.AsSpan().SequenceEqual(output.Dims)) targets = targets.Reshape(output.Dims);
        return loss.Forward(output, targets);
    }

    /// <summary>
    /// Labels as a one-hot target for a loss that takes one; a method of its own so that a classification trained with
    /// cross-entropy does not compile its loop (the JIT compiler took about 3 ms on the whole, inside the first step).
    /// </summary>
    private static Tensor LossOfOneHot(Loss loss, Tensor output, int[] labels)
    {
        int width = output.Dims[^1];
        var target = Tensor.Zeros(output.DType, output.Dims);
        for (int i = 0; i < labels.Length; i++)
        {
            int at = width == 1 ? i : i * width + labels[i];
            // A single output is trained towards 0 or 1, so it holds two classes, not one.
            if (labels[i] >= Math.Max(width, 2))
                throw new ArgumentException(width == 1
                    ? $"Fit: label {labels[i]} does not fit the model's single output, which holds the labels 0 and 1."
                    : $"Fit: label {labels[i]} does not fit the model's {width} outputs.");
            if (output.DType == DType.Float32) target.Span<float>()[at] = width == 1 ? labels[i] : 1;
            else target.Span<double>()[at] = width == 1 ? labels[i] : 1;
        }
        return loss.Forward(output, target);
    }
}
