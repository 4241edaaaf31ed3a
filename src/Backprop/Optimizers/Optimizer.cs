using System.Numerics;

namespace Backprop.Optimizers;

/// <summary>
/// Updates parameters from their gradients. Call <see cref="ZeroGrad"/> before each backward pass
/// (gradients accumulate), then <see cref="Step"/> after it.
/// </summary>
public abstract class Optimizer
{
    private double _learningRate;

    /// <summary>Takes the parameters to update and the initial learning rate.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The learning rate is negative or not finite.</exception>
    /// <exception cref="ArgumentException">No parameters were given, or one does not require gradients.</exception>
    protected Optimizer(IEnumerable<Tensor> parameters, double learningRate)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        Parameters = parameters.ToArray();
        if (Parameters.Count == 0) throw new ArgumentException($"{GetType().Name}: the parameter list is empty.", nameof(parameters));
        for (int i = 0; i < Parameters.Count; i++)
            if (!Parameters[i].RequiresGrad)
                throw new ArgumentException($"{GetType().Name}: parameter {i} (shape {ShapeMath.Format(Parameters[i].Dims)}) does not require gradients.", nameof(parameters));
        LearningRate = learningRate;
    }

    /// <summary>The tensors this optimiser updates, in order.</summary>
    public IReadOnlyList<Tensor> Parameters { get; }

    /// <summary>The step size; schedules change it between steps.</summary>
    public double LearningRate
    {
        get => _learningRate;
        set
        {
            if (!(value >= 0) || double.IsInfinity(value))
                throw new ArgumentOutOfRangeException(nameof(LearningRate), value, $"{GetType().Name}: the learning rate must be a finite number ≥ 0, got {value}.");
            _learningRate = value;
        }
    }

    /// <summary>Number of <see cref="Step"/> calls so far.</summary>
    public long StepCount { get; private set; }

    /// <summary>Applies one update to every parameter that has a gradient.</summary>
    public void Step()
    {
        StepCount++;
        using (Tensor.NoGrad())
        {
            for (int i = 0; i < Parameters.Count; i++)
            {
                var parameter = Parameters[i];
                if (parameter.Grad is null) continue;
                if (parameter.DType == DType.Float32) Update<float>(i, parameter.Span<float>(), parameter.Grad.Span<float>());
                else Update<double>(i, parameter.Span<double>(), parameter.Grad.Span<double>());
            }
        }
    }

    /// <summary>Sets every parameter's gradient to zero, keeping the buffers so steady-state training does not allocate.</summary>
    public void ZeroGrad()
    {
        foreach (var parameter in Parameters)
        {
            if (parameter.Grad is null) continue;
            if (parameter.Grad.DType == DType.Float32) parameter.Grad.Span<float>().Clear();
            else parameter.Grad.Span<double>().Clear();
        }
    }

    /// <summary>
    /// A copy of the state that, loaded into a fresh optimiser of the same kind and settings over the same
    /// parameters, continues training to the bit. The base class gives the step count; optimisers with
    /// per-parameter buffers add them by overriding.
    /// </summary>
    public virtual OptimizerState GetState() => new() { StepCount = StepCount };

    /// <summary>Restores a state taken by <see cref="GetState"/> (or read from a checkpoint); the arrays are copied.</summary>
    /// <exception cref="ArgumentException">The state names a parameter index out of range, an unknown buffer, or an array of the wrong length.</exception>
    public virtual void LoadState(OptimizerState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (state.StepCount < 0)
            throw new ArgumentOutOfRangeException(nameof(state), state.StepCount, $"{GetType().Name}: the step count must be ≥ 0, got {state.StepCount}.");
        foreach (var (index, buffers) in state.Buffers)
        {
            if ((uint)index >= (uint)Parameters.Count)
                throw new ArgumentException($"{GetType().Name}: the state has buffers for parameter {index}, but there are {Parameters.Count} parameters.", nameof(state));
            foreach (var (name, values) in buffers)
            {
                if (values is null || values.Length != Parameters[index].Length)
                    throw new ArgumentException($"{GetType().Name}: buffer '{name}' of parameter {index} has {values?.Length ?? 0} values, but the parameter has {Parameters[index].Length}.", nameof(state));
            }
        }
        StepCount = state.StepCount;
    }

    /// <summary>Updates parameter number <paramref name="index"/> in place from its gradient.</summary>
    protected abstract void Update<T>(int index, Span<T> parameter, ReadOnlySpan<T> gradient) where T : unmanaged, IFloatingPointIeee754<T>;

    /// <summary>Per-parameter state (e.g. a momentum buffer) of the parameter's dtype, created zeroed on first use.</summary>
    protected Span<T> State<T>(Dictionary<int, Array> states, int index) where T : unmanaged
    {
        if (!states.TryGetValue(index, out var state) || state is not T[])
            states[index] = state = new T[Parameters[index].Length];
        return ((T[])state).AsSpan();
    }

    /// <summary>Throws unless <paramref name="value"/> is finite and ≥ 0; the message names the optimiser, argument and value.</summary>
    protected double NonNegative(double value, string name) => value >= 0 && double.IsFinite(value)
        ? value
        : throw new ArgumentOutOfRangeException(name, value, $"{GetType().Name}: {name} must be a finite number ≥ 0, got {value}.");
}
