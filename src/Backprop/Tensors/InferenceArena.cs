namespace Backprop.Tensors;

/// <summary>
/// Per-thread buffers for the activations of a forward pass that records no graph: while it runs, the tensors it
/// creates rent their storage from this thread's <see cref="StepArena"/>, and when it returns they go back for the
/// next call, so steady-state inference allocates its output and nothing in proportion to the activations.
/// </summary>
/// <remarks>
/// Only the outermost call opens the arena; the result is copied out of recycled storage before it closes, so no
/// tensor the caller holds aliases a buffer that a later call reuses. A module must not keep a reference to a tensor
/// it saw during such a pass beyond its own <c>Forward</c>.
/// </remarks>
internal static class InferenceArena
{
    /// <summary>Buffers kept between calls beyond this many bytes are dropped: a caller whose batch sizes keep changing would otherwise pool one set per size.</summary>
    private const long MaxPooledBytes = 64L << 20;

    [ThreadStatic] private static StepArena? t_arena;

    /// <summary>Whether a forward pass on this thread may use the arena: nothing is recorded and no other step is open.</summary>
    public static bool CanOpen => !Tensor.IsGradEnabled && StepArena.Open is null;

    /// <summary>
    /// Runs <paramref name="forward"/> with the arena open and returns its result in storage of its own: a copy when it
    /// lives in recycled storage, else the result itself (e.g. a model that returns its input).
    /// </summary>
    public static Tensor Run<TState>(in TState state, Func<TState, Tensor> forward) => Run(state, forward, static (_, result) => KeepOutside(result));

    /// <summary>
    /// Runs <paramref name="forward"/> with the arena open, then <paramref name="keep"/> on its result before the arena
    /// closes: it must return a tensor whose storage is not the arena's (e.g. copy the result into a caller's tensor).
    /// </summary>
    public static Tensor Run<TState>(in TState state, Func<TState, Tensor> forward, Func<TState, Tensor, Tensor> keep)
    {
        // Inside a step the training loop opened (e.g. a stopping criterion's forward pass), its arena serves.
        if (StepArena.Open is not null) return keep(state, forward(state));
        var arena = t_arena ??= new StepArena();
        Tensor output;
        using (arena.Begin())
        {
            output = keep(state, forward(state));
        }
        if (arena.PooledBytes > MaxPooledBytes) arena.Clear();
        return output;
    }

    /// <summary>Whether <paramref name="tensor"/>'s storage belongs to the arena open on this thread.</summary>
    public static bool IsRecycled(Tensor tensor) => StepArena.Open?.Lends(tensor.Storage) ?? false;

    private static Tensor KeepOutside(Tensor result) => IsRecycled(result) ? result.Clone() : result;
}
