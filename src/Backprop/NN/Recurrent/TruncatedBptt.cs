using Backprop.Tensors;

namespace Backprop.NN;

/// <summary>
/// Truncated backpropagation through time: a long sequence is cut into chunks of k steps; each chunk starts
/// from the previous chunk's final state with the graph cut (<see cref="RecurrentOutput.DetachState"/>), so
/// the forward pass still carries information across the whole sequence while each Backward() runs through
/// at most k steps (bounded memory and time, gradients truncated at chunk boundaries).
/// </summary>
/// <example>
/// <code>
/// var lstm = new Lstm(1, 16);
/// var head = new Dense(16, 1);
/// var sgd = new Sgd([.. lstm.Parameters(), .. head.Parameters()], learningRate: 0.05);
/// (Tensor Hidden, Tensor? Cell)? state = null;                      // zeros for the first chunk
/// foreach (var (inputs, targets) in TruncatedBptt.Chunks(series, nextValues, chunkLength: 25))
/// {
///     var result = lstm.ForwardWithState(inputs, state?.Hidden, state?.Cell);   // [25, N, 1] → [25, N, 16]
///     var predictions = head.Forward(result.Output.Reshape(-1, 16));   // one prediction per step
///     var loss = new MseLoss().Forward(predictions, targets.Reshape(-1, 1));
///     sgd.ZeroGrad(); loss.Backward(); sgd.Step();                     // backward spans these 25 steps only
///     state = result.DetachState();                                     // the next chunk continues from here
/// }
/// </code>
/// </example>
public static class TruncatedBptt
{
    /// <summary>
    /// Cuts a time-major sequence [T, …] into consecutive chunks of <paramref name="chunkLength"/> steps along
    /// axis 0 (the last chunk may be shorter). Use it on inputs and on per-step targets alike.
    /// </summary>
    /// <exception cref="ArgumentException">The sequence is a scalar or empty, or the chunk length is &lt; 1.</exception>
    public static IEnumerable<Tensor> Chunks(Tensor sequence, int chunkLength)
    {
        ArgumentNullException.ThrowIfNull(sequence);
        if (chunkLength < 1)
            throw new ArgumentOutOfRangeException(nameof(chunkLength), chunkLength, $"TruncatedBptt: chunkLength must be ≥ 1, got {chunkLength}.");
        if (sequence.Rank == 0 || sequence.Dims[0] == 0)
            throw new ArgumentException($"TruncatedBptt: the sequence must be [T ≥ 1, …], got shape {ShapeMath.Format(sequence.Dims)}.", nameof(sequence));
        return Cut(sequence, chunkLength);
    }

    /// <summary>Chunks of inputs and of their per-step targets, paired; both are [T, …] with the same T.</summary>
    /// <exception cref="ArgumentException">The two sequences have different lengths.</exception>
    public static IEnumerable<(Tensor Inputs, Tensor Targets)> Chunks(Tensor inputs, Tensor targets, int chunkLength)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(targets);
        if (inputs.Rank == 0 || targets.Rank == 0 || inputs.Dims[0] != targets.Dims[0])
            throw new ArgumentException($"TruncatedBptt: inputs {ShapeMath.Format(inputs.Dims)} and targets {ShapeMath.Format(targets.Dims)} must have the same number of steps (axis 0).");
        return Chunks(inputs, chunkLength).Zip(Chunks(targets, chunkLength));
    }

    private static IEnumerable<Tensor> Cut(Tensor sequence, int chunkLength)
    {
        int steps = sequence.Dims[0];
        for (int start = 0; start < steps; start += chunkLength)
            yield return sequence.Narrow(0, start, Math.Min(chunkLength, steps - start));
    }
}
