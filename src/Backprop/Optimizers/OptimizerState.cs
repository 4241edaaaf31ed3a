namespace Backprop.Optimizers;

/// <summary>
/// What an <see cref="Optimizer"/> needs besides the parameters to continue exactly where it stopped:
/// its step count and, per parameter index, named float64 arrays of the parameter's length (for
/// <see cref="Sgd"/> the momentum buffer <c>"momentum_buffer"</c>, as PyTorch names it).
/// </summary>
/// <remarks>
/// Float64 holds every float32 value exactly, so a float32 optimiser's state survives
/// <see cref="Optimizer.GetState"/> → file → <see cref="Optimizer.LoadState"/> to the bit.
/// A parameter without an entry has no state yet (it has not received a gradient).
/// <code>
/// OptimizerState state = sgd.GetState();            // e.g. StepCount 120, Buffers[0]["momentum_buffer"]
/// var resumed = new Sgd(model.Parameters(), 0.1, momentum: 0.9);
/// resumed.LoadState(state);
/// </code>
/// </remarks>
public sealed class OptimizerState
{
    /// <summary>The number of <see cref="Optimizer.Step"/> calls taken.</summary>
    public long StepCount { get; init; }

    /// <summary>Per parameter index (the order of <see cref="Optimizer.Parameters"/>), the named state arrays.</summary>
    public Dictionary<int, Dictionary<string, double[]>> Buffers { get; init; } = [];
}
