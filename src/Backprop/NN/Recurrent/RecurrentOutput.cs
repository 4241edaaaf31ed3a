namespace Backprop.NN;

/// <summary>
/// What a recurrent layer (<see cref="Rnn"/>, <see cref="Lstm"/>, <see cref="Gru"/>) returns for a sequence: the
/// top layer's hidden state at every step and every layer's state after the last step.
/// </summary>
/// <param name="Output">
/// The top layer's hidden state at each step: [T, N, H], or [N, T, H] with <c>batchFirst</c>, or [T, H] for an
/// unbatched input. Steps past a sequence's length are zero.
/// </param>
/// <param name="Hidden">
/// Each layer's hidden state after its sequence's last step (its own length when lengths are given):
/// [layers, N, H], or [layers, H] for an unbatched input (<c>batchFirst</c> does not change it, as in PyTorch).
/// </param>
/// <param name="Cell">The LSTM's cell state, shaped as <paramref name="Hidden"/>; null for Rnn and Gru.</param>
public sealed record RecurrentOutput(Tensor Output, Tensor Hidden, Tensor? Cell)
{
    /// <summary>
    /// The top layer's final hidden state, [N, H] (or [H] unbatched): what a many-to-one model classifies.
    /// With lengths it is each sequence's output at its own last valid step.
    /// </summary>
    public Tensor LastHidden => Hidden.Select(0, Hidden.Dims[0] - 1);

    /// <summary>
    /// The final state cut from the graph, to pass as the initial state of the next chunk in truncated
    /// backpropagation through time: the next chunk's loss then backpropagates only to its own k steps.
    /// </summary>
    public (Tensor Hidden, Tensor? Cell) DetachState() => (Hidden.Detach(), Cell?.Detach());
}
