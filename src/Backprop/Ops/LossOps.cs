using System.Numerics;
using System.Numerics.Tensors;

namespace Backprop;

public sealed partial class Tensor
{
    /// <summary>
    /// Cross-entropy of logits [N, C] against target probabilities [N, C] (one-hot or soft), per row:
    /// ℓᵢ = −Σⱼ tᵢⱼ·log softmax(zᵢ)ⱼ, fused so no probability is ever rounded to 0 before the log.
    /// Backward: ∂ℓᵢ/∂zᵢₖ = softmax(zᵢ)ₖ·Σⱼ tᵢⱼ − tᵢₖ. Returns [N].
    /// </summary>
    internal static Tensor SoftmaxCrossEntropy(Tensor logits, Tensor targets)
    {
        logits.RequireSameDType("CrossEntropyLoss", targets);
        var logProbabilities = logits.Detach().LogSoftmax();
        int rows = logits.Dims[0], classes = logits.Dims[1];
        var losses = Zeroed(logits.DType, [rows]);
        if (logits.DType == DType.Float32) CrossEntropyRows<float>(logProbabilities, targets, losses, classes);
        else CrossEntropyRows<double>(logProbabilities, targets, losses, classes);
        return Record(losses, "SoftmaxCrossEntropy", [logits, targets], g =>
        {
            if (logits.RequiresGrad)
            {
                var gx = Zeroed(logits.DType, logits.Dims);
                if (logits.DType == DType.Float32) CrossEntropyGradient<float>(logProbabilities, targets, g, gx, classes);
                else CrossEntropyGradient<double>(logProbabilities, targets, g, gx, classes);
                logits.AccumulateGradient(gx);
            }
            if (targets.RequiresGrad)
                targets.AccumulateGradient(logProbabilities.Multiply(g.Reshape(rows, 1)).Negate());
        });
    }

    /// <summary>
    /// Cross-entropy of logits [N, C] against class indices, softmax fused in and no one-hot target built:
    /// ℓᵢ = log Σⱼ e^zᵢⱼ − zᵢ,yᵢ (the row maximum subtracted first, so no exponent overflows), reduced by
    /// <paramref name="reduction"/> (a scalar for Mean and Sum, [N] for None). One pass over each row computes
    /// the loss and keeps softmax(zᵢ) for backward: ∂ℓᵢ/∂zᵢₖ = softmax(zᵢ)ₖ − [k = yᵢ].
    /// </summary>
    internal static Tensor SoftmaxCrossEntropy(Tensor logits, int[] classes, Losses.Reduction reduction)
    {
        int rows = logits.Dims[0], width = logits.Dims[1];
        var probabilities = Uninitialized(logits.DType, logits.Dims);
        var losses = Uninitialized(logits.DType, [rows]);
        if (logits.DType == DType.Float32) SoftmaxCrossEntropyRows<float>(logits, classes, probabilities, losses);
        else SoftmaxCrossEntropyRows<double>(logits, classes, probabilities, losses);
        var result = reduction == Losses.Reduction.None ? losses : Uninitialized(logits.DType, []);
        if (reduction != Losses.Reduction.None)
        {
            double scale = reduction == Losses.Reduction.Mean ? 1.0 / rows : 1;
            if (logits.DType == DType.Float32) result.Span<float>()[0] = SumOf<float>(losses) * (float)scale;
            else result.Span<double>()[0] = SumOf<double>(losses) * scale;
        }
        return Record(result, "SoftmaxCrossEntropy", [logits], g =>
        {
            var gx = Uninitialized(logits.DType, logits.Dims);
            if (logits.DType == DType.Float32) SoftmaxCrossEntropyGradient<float>(probabilities, classes, g, gx, reduction, rows);
            else SoftmaxCrossEntropyGradient<double>(probabilities, classes, g, gx, reduction, rows);
            logits.AccumulateGradient(gx);
        });
    }

    /// <remarks>
    /// Row maxima and sums are plain loops and the exponentials one vectorised call over the whole batch: with ten
    /// classes, five library calls per row cost several times the whole loss, mostly their code falling out of cache
    /// between training steps.
    /// </remarks>
    private static void SoftmaxCrossEntropyRows<T>(Tensor logits, int[] classes, Tensor probabilities, Tensor losses) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int width = logits.Dims[1];
        var z = logits.Span<T>();
        var p = probabilities.Span<T>();
        var l = losses.Span<T>();
        for (int i = 0; i < l.Length; i++)
        {
            var row = z.Slice(i * width, width);
            var shifted = p.Slice(i * width, width);
            T max = row[0];
            foreach (T value in row) max = T.Max(max, value);
            for (int j = 0; j < width; j++) shifted[j] = row[j] - max;
            l[i] = max;
        }
        Kernels.ExpKernel.InPlace(p);
        for (int i = 0; i < l.Length; i++)
        {
            var output = p.Slice(i * width, width);
            T sum = T.Zero;
            foreach (T value in output) sum += value;
            l[i] = T.Log(sum) + l[i] - z[i * width + classes[i]];
            for (int j = 0; j < width; j++) output[j] /= sum;
        }
    }

    /// <summary>
    /// The sum of the losses, in order: a plain loop over one value per row, where a library call's vector code cost more
    /// to compile than it saved.
    /// </summary>
    private static T SumOf<T>(Tensor losses) where T : unmanaged, IFloatingPointIeee754<T>
    {
        T sum = T.Zero;
        foreach (T value in losses.Span<T>()) sum += value;
        return sum;
    }

    private static void SoftmaxCrossEntropyGradient<T>(Tensor probabilities, int[] classes, Tensor g, Tensor gx, Losses.Reduction reduction, int rows) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int width = probabilities.Dims[1];
        var p = probabilities.Span<T>();
        var gs = g.Span<T>();
        var output = gx.Span<T>();
        T shared = reduction == Losses.Reduction.Mean ? gs[0] * T.CreateChecked(1.0 / rows) : gs[0];
        // A plain loop, not TensorPrimitives.Multiply: the same products, without a vector routine for the JIT
        // compiler to compile inside the first training step.
        if (reduction != Losses.Reduction.None) for (int j = 0; j < output.Length; j++) output[j] = p[j] * shared;
        for (int i = 0; i < rows; i++)
        {
            int start = i * width;
            if (reduction == Losses.Reduction.None)
            {
                T scale = gs[i];
                for (int j = start; j < start + width; j++) output[j] = p[j] * scale;
                output[start + classes[i]] -= scale;
            }
            else output[start + classes[i]] -= shared;
        }
    }

    private static void CrossEntropyRows<T>(Tensor logProbabilities, Tensor targets, Tensor losses, int classes) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var lp = logProbabilities.Span<T>();
        var t = targets.Span<T>();
        var l = losses.Span<T>();
        for (int i = 0; i < l.Length; i++)
        {
            T sum = T.Zero;
            for (int j = 0; j < classes; j++)
            {
                T target = t[i * classes + j];
                if (target != T.Zero) sum -= target * lp[i * classes + j];
            }
            l[i] = sum;
        }
    }

    private static void CrossEntropyGradient<T>(Tensor logProbabilities, Tensor targets, Tensor g, Tensor gx, int classes) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var lp = logProbabilities.Span<T>();
        var t = targets.Span<T>();
        var gs = g.Span<T>();
        var outSpan = gx.Span<T>();
        for (int i = 0; i < gs.Length; i++)
        {
            T targetMass = T.Zero;
            for (int j = 0; j < classes; j++) targetMass += t[i * classes + j];
            for (int j = 0; j < classes; j++)
            {
                int k = i * classes + j;
                outSpan[k] = gs[i] * (T.Exp(lp[k]) * targetMass - t[k]);
            }
        }
    }

    /// <summary>
    /// s·Σ(p − t)², a scalar, as one recorded operation instead of four (difference, square, sum, scale): for a small
    /// network such as the textbook 2-2-2 one, creating the others' tensors and graph nodes was a large share of a step.
    /// Backward: ∂/∂p = 2s·(p − t)·g, ∂/∂t = −2s·(p − t)·g.
    /// </summary>
    /// <param name="prediction">p.</param>
    /// <param name="target">t, the shape and dtype of p.</param>
    /// <param name="scale">s: ½ for the textbooks' E, 1/n for a mean, 1 for a sum.</param>
    /// <param name="loss">The loss's name, for the error when the dtypes differ.</param>
    internal static Tensor ScaledSquaredError(Tensor prediction, Tensor target, double scale, string loss)
    {
        prediction.RequireSameDType(loss, target);
        var difference = Uninitialized(prediction.DType, prediction.Dims);
        var result = Uninitialized(prediction.DType, []);
        if (prediction.DType == DType.Float32) SquaredErrorForward<float>(prediction, target, difference, result, scale);
        else SquaredErrorForward<double>(prediction, target, difference, result, scale);
        return Record(result, "ScaledSquaredError", [prediction, target], g =>
        {
            var gp = Uninitialized(prediction.DType, prediction.Dims);
            if (prediction.DType == DType.Float32) TensorPrimitives.Multiply(difference.Span<float>(), (float)(2 * scale) * g.Span<float>()[0], gp.Span<float>());
            else TensorPrimitives.Multiply(difference.Span<double>(), 2 * scale * g.Span<double>()[0], gp.Span<double>());
            // The target's share is taken before the prediction's, which may keep gp as its gradient buffer.
            if (target.RequiresGrad) target.AccumulateGradient(gp.Negate());
            if (prediction.RequiresGrad) prediction.AccumulateGradient(gp);
        });
    }

    private static void SquaredErrorForward<T>(Tensor prediction, Tensor target, Tensor difference, Tensor result, double scale) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var d = difference.Span<T>();
        TensorPrimitives.Subtract<T>(prediction.Span<T>(), target.Span<T>(), d);
        result.Span<T>()[0] = TensorPrimitives.SumOfSquares<T>(d) * T.CreateChecked(scale);
    }

    /// <summary>
    /// Binary cross-entropy of probabilities p against targets t, element-wise:
    /// −(t·log p + (1 − t)·log(1 − p)), each log clamped at −100 as PyTorch so p = 0 or 1 stays finite.
    /// Backward: (p − t) / max(p(1 − p), 1e-12).
    /// </summary>
    internal static Tensor BinaryCrossEntropy(Tensor probabilities, Tensor targets)
    {
        probabilities.RequireSameDType("BceLoss", targets);
        var result = Uninitialized(probabilities.DType, probabilities.Dims);
        if (probabilities.DType == DType.Float32) BceForward<float>(probabilities.Span<float>(), targets.Span<float>(), result.Span<float>());
        else BceForward<double>(probabilities.Span<double>(), targets.Span<double>(), result.Span<double>());
        return Record(result, "BinaryCrossEntropy", [probabilities, targets], g =>
        {
            var gp = probabilities.RequiresGrad ? Uninitialized(probabilities.DType, probabilities.Dims) : null;
            var gt = targets.RequiresGrad ? Uninitialized(targets.DType, targets.Dims) : null;
            if (probabilities.DType == DType.Float32) BceBackward<float>(probabilities, targets, g, gp, gt);
            else BceBackward<double>(probabilities, targets, g, gp, gt);
            if (gp is not null) probabilities.AccumulateGradient(gp);
            if (gt is not null) targets.AccumulateGradient(gt);
        });
    }

    private static void BceForward<T>(ReadOnlySpan<T> p, ReadOnlySpan<T> t, Span<T> loss) where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int i = 0; i < p.Length; i++)
        {
            if (!(p[i] >= T.Zero && p[i] <= T.One))
                throw new ArgumentException($"BceLoss: prediction element {i} is {p[i]}, outside [0, 1]; apply Sigmoid first (or use probabilities).");
            loss[i] = -(t[i] * ClampedLog(p[i]) + (T.One - t[i]) * ClampedLog(T.One - p[i]));
        }
    }

    private static void BceBackward<T>(Tensor probabilities, Tensor targets, Tensor g, Tensor? gp, Tensor? gt) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var p = probabilities.Span<T>();
        var t = targets.Span<T>();
        var gs = g.Span<T>();
        T smallest = T.CreateChecked(1e-12);
        if (gp is not null)
        {
            var to = gp.Span<T>();
            for (int i = 0; i < p.Length; i++) to[i] = gs[i] * (p[i] - t[i]) / T.Max(p[i] * (T.One - p[i]), smallest);
        }
        if (gt is not null)
        {
            var to = gt.Span<T>();
            for (int i = 0; i < p.Length; i++) to[i] = gs[i] * (ClampedLog(T.One - p[i]) - ClampedLog(p[i]));
        }
    }

    /// <summary>log x, but never below −100 (PyTorch's clamp), so a certain wrong prediction costs 100, not ∞.</summary>
    private static T ClampedLog<T>(T x) where T : unmanaged, IFloatingPointIeee754<T> => T.Max(T.Log(x), T.CreateChecked(-100));
}
