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
                // A single output is trained towards 0 or 1, so it holds two classes, not one.
                if (batch.Labels[i] >= Math.Max(width, 2))
                    throw new ArgumentException(width == 1
                        ? $"Fit: label {batch.Labels[i]} does not fit the model's single output, which holds the labels 0 and 1."
                        : $"Fit: label {batch.Labels[i]} does not fit the model's {width} outputs.");
                if (output.DType == DType.Float32) target.Span<float>()[at] = width == 1 ? batch.Labels[i] : 1;
                else target.Span<double>()[at] = width == 1 ? batch.Labels[i] : 1;
            }
            return loss.Forward(output, target);
        }
        var targets = batch.Targets!.DType == output.DType ? batch.Targets : batch.Targets.ToDType(output.DType);
        if (targets.Length == output.Length && !targets.Dims.AsSpan().SequenceEqual(output.Dims)) targets = targets.Reshape(output.Dims);
        return loss.Forward(output, targets);
    }
}
