namespace Backprop.Optimizers;

/// <summary>
/// A snapshot of an optimiser's mutable state, for checkpoints: the learning rate, the number of
/// <see cref="Optimizer.Step"/> calls, and for each parameter (by its index in <see cref="Optimizer.Parameters"/>)
/// its named buffers as float64 arrays, PyTorch's names (<c>exp_avg</c>, <c>exp_avg_sq</c>, <c>momentum_buffer</c>, …)
/// plus <c>step</c>, a one-element array holding how many updates that parameter has received.
/// </summary>
/// <remarks>
/// Buffers of float32 parameters widen to float64 exactly, so <see cref="Optimizer.GetState"/> followed by
/// <see cref="Optimizer.LoadState"/> continues a run bit for bit. A parameter that has not been updated yet has an
/// empty dictionary.
/// </remarks>
/// <param name="LearningRate">The optimiser's learning rate when the snapshot was taken.</param>
/// <param name="StepCount">Number of <see cref="Optimizer.Step"/> calls.</param>
/// <param name="ParameterStates">One dictionary per parameter, name → values (buffers have the parameter's length).</param>
public sealed record OptimizerState(double LearningRate, long StepCount, IReadOnlyList<IReadOnlyDictionary<string, double[]>> ParameterStates);
