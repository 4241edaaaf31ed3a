using Backprop.NN;
using Backprop.Tensors;

namespace Backprop.Training;

/// <summary>Running a trained model: <c>model.Predict(inputs)</c>, or into a tensor the caller keeps.</summary>
public static partial class ModuleTraining
{
    /// <summary>
    /// The model's outputs for <paramref name="inputs"/> [N, …], computed in batches of at most
    /// <paramref name="batchSize"/> rows with evaluation semantics (<see cref="InferenceMode"/>) and no graph recorded.
    /// </summary>
    /// <remarks>
    /// Thread-safe: the model is not changed (its <see cref="Module.IsTraining"/> flag is neither read nor set for other
    /// threads), so any number of threads may predict with one model at once, as long as none trains it or changes its
    /// weights meanwhile. At steady state the call allocates its output and a few hundred bytes, nothing in proportion
    /// to the activations (see <see cref="Sequential.Forward"/>).
    /// </remarks>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="batchSize"/> is less than 1.</exception>
    public static Tensor Predict(this Module model, Tensor inputs, int batchSize = 256) => PredictChunks(model, inputs, null, batchSize);

    /// <summary>
    /// As <see cref="Predict(Module, Tensor, int)"/>, writing the outputs into <paramref name="output"/> (the model's
    /// output shape and dtype, with N rows) and returning it: a loop that predicts again and again allocates nothing in
    /// proportion to its data.
    /// </summary>
    /// <example>
    /// <code>
    /// var logits = Tensor.Zeros(64, 10);
    /// foreach (var batch in batches) model.Predict(batch, logits);   // the same buffer every time
    /// </code>
    /// </example>
    /// <exception cref="ArgumentException"><paramref name="output"/> does not have the shape or dtype of the model's output.</exception>
    public static Tensor Predict(this Module model, Tensor inputs, Tensor output, int batchSize = 256)
    {
        ArgumentNullException.ThrowIfNull(output);
        return PredictChunks(model, inputs, output, batchSize);
    }

    private static Tensor PredictChunks(Module model, Tensor inputs, Tensor? into, int batchSize)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(inputs);
        if (batchSize < 1) throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, $"Predict: batchSize must be ≥ 1, got {batchSize}.");
        if (inputs.Rank == 0) throw new ArgumentException("Predict: inputs must be [N, …] with one row per example, got a scalar.", nameof(inputs));
        using var inference = InferenceMode.Enter();
        if (DenseChainInference.TryPredict(model, inputs, into, batchSize, out var predicted)) return predicted;
        int count = inputs.Dims[0];
        var output = into;
        for (int start = 0; start < count || (count == 0 && start == 0); start += batchSize)
        {
            int length = Math.Min(batchSize, count - start);
            output = InferenceArena.Run(new Chunk(model, inputs, start, length, count, output),
                static chunk => chunk.Model.Forward(chunk.Length == chunk.Count ? chunk.Inputs : chunk.Inputs.Narrow(0, chunk.Start, chunk.Length)),
                static (chunk, result) => Place(chunk, result));
            if (count == 0) break;
        }
        return output!;
    }

    private readonly record struct Chunk(Module Model, Tensor Inputs, int Start, int Length, int Count, Tensor? Output);

    /// <summary>Puts one chunk's outputs into rows [Start, Start + Length) of the output, creating it (outside the arena) at the first chunk.</summary>
    /// <remarks>A single chunk's result is taken whatever its shape, as the model gives it; chunks must give one row per input row.</remarks>
    private static Tensor Place(Chunk chunk, Tensor result)
    {
        bool whole = chunk.Length == chunk.Count;
        if (!whole && (result.Rank == 0 || result.Dims[0] != chunk.Length))
            throw new ArgumentException($"Predict: the model gave {ShapeMath.Format(result.Dims)} for {chunk.Length} input rows; predicting in batches needs one output row per input row.");
        int[] dims = whole ? result.Dims : [chunk.Count, .. result.Dims[1..]];
        var output = chunk.Output;
        if (output is null)
        {
            if (whole) return InferenceArena.IsRecycled(result) ? result.Clone() : result;
            output = Tensor.Zeros(result.DType, dims);
        }
        else if (output.DType != result.DType || !output.Dims.AsSpan().SequenceEqual(dims))
        {
            throw new ArgumentException($"Predict: the output tensor is {output.DType} {ShapeMath.Format(output.Dims)}, but the model gives {result.DType} {ShapeMath.Format(dims)}.", "output");
        }
        int offset = chunk.Start * (result.Length / Math.Max(chunk.Length, 1));
        if (result.DType == DType.Float32) result.Span<float>().CopyTo(output.Span<float>()[offset..]);
        else result.Span<double>().CopyTo(output.Span<double>()[offset..]);
        output.MarkChanged();
        return output;
    }
}
