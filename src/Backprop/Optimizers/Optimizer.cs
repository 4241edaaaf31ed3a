using System.Numerics;
using Backprop.Tensors;

namespace Backprop.Optimizers;

/// <summary>
/// Updates parameters from their gradients. Call <see cref="ZeroGrad"/> before each backward pass
/// (gradients accumulate), then <see cref="Step"/> after it. <see cref="GetState"/> and <see cref="LoadState"/>
/// save and restore everything a run needs to continue.
/// </summary>
public abstract class Optimizer
{
    private const string StepName = "step";
    private double _learningRate;
    private readonly Dictionary<string, Dictionary<int, Array>> _namedStates = [];
    private long[] _parameterSteps = [];

    // The array behind Parameters: a step loops over it without an interface call (or enumerator) per parameter.
    private readonly Tensor[] _parameters;

    /// <summary>Takes the parameters to update and the initial learning rate.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The learning rate is negative or not finite.</exception>
    /// <exception cref="ArgumentException">No parameters were given, or one does not require gradients.</exception>
    protected Optimizer(IEnumerable<Tensor> parameters, double learningRate)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        Parameters = _parameters = parameters.ToArray();
        if (Parameters.Count == 0) throw new ArgumentException($"{GetType().Name}: the parameter list is empty.", nameof(parameters));
        for (int i = 0; i < Parameters.Count; i++)
            if (!Parameters[i].RequiresGrad)
                throw new ArgumentException($"{GetType().Name}: parameter {i} (shape {ShapeMath.Format(Parameters[i].Dims)}) does not require gradients.", nameof(parameters));
        LearningRate = learningRate;
        _parameterSteps = new long[Parameters.Count];
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

    /// <summary>
    /// The learning rate the first schedule bound to this optimiser found (PyTorch's <c>initial_lr</c>), so that
    /// schedules chained on one optimiser share one base even after the first has already changed the rate.
    /// </summary>
    internal double? ScheduleBaseLearningRate { get; set; }

    /// <summary>Applies one update to every parameter that has a gradient.</summary>
    public void Step()
    {
        StepCount++;
        Tensor.EnterNoGrad();
        try
        {
            for (int i = 0; i < _parameters.Length; i++)
            {
                var parameter = _parameters[i];
                if (parameter.Grad is null) continue;
                _parameterSteps[i]++;
                if (parameter.DType == DType.Float32) Update<float>(i, parameter.Span<float>(), parameter.Grad.Span<float>());
                else Update<double>(i, parameter.Span<double>(), parameter.Grad.Span<double>());
                parameter.MarkChanged();
            }
        }
        finally
        {
            Tensor.ExitNoGrad();
        }
    }

    /// <summary>Sets every parameter's gradient to zero, keeping the buffers so steady-state training does not allocate.</summary>
    public void ZeroGrad()
    {
        foreach (var parameter in _parameters) parameter.ZeroGrad();
    }

    /// <summary>
    /// Copies the learning rate, the step counts and every per-parameter buffer into a new <see cref="OptimizerState"/>
    /// that later steps do not change.
    /// </summary>
    public OptimizerState GetState()
    {
        var parameterStates = new IReadOnlyDictionary<string, double[]>[Parameters.Count];
        for (int i = 0; i < Parameters.Count; i++)
        {
            var named = new Dictionary<string, double[]>();
            if (_parameterSteps[i] > 0) named[StepName] = [_parameterSteps[i]];
            foreach (var (name, states) in _namedStates)
            {
                if (!states.TryGetValue(i, out var buffer)) continue;
                named[name] = buffer is float[] single ? Array.ConvertAll(single, x => (double)x) : (double[])((double[])buffer).Clone();
            }
            parameterStates[i] = named;
        }
        return new OptimizerState(LearningRate, StepCount, parameterStates);
    }

    /// <summary>
    /// Replaces this optimiser's learning rate, step counts and buffers with <paramref name="state"/> (copied, and
    /// narrowed to each parameter's dtype), so that the next <see cref="Step"/> continues the saved run.
    /// </summary>
    /// <exception cref="ArgumentException">The state is for a different number of parameters, names a buffer this
    /// optimiser does not have, or a buffer's length differs from its parameter's.</exception>
    public void LoadState(OptimizerState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        string name = GetType().Name;
        if (state.ParameterStates.Count != Parameters.Count)
            throw new ArgumentException($"{name}: the state has {state.ParameterStates.Count} parameters, this optimiser has {Parameters.Count}.", nameof(state));
        if (state.StepCount < 0)
            throw new ArgumentException($"{name}: the state's step count must be ≥ 0, got {state.StepCount}.", nameof(state));
        var steps = new long[Parameters.Count];
        for (int i = 0; i < Parameters.Count; i++)
        {
            foreach (var (bufferName, values) in state.ParameterStates[i])
            {
                if (bufferName == StepName)
                {
                    if (values.Length != 1 || !(values[0] >= 0) || values[0] != Math.Floor(values[0]))
                        throw new ArgumentException($"{name}: parameter {i}'s '{StepName}' must be one whole number ≥ 0, got [{string.Join(", ", values)}].", nameof(state));
                    steps[i] = (long)values[0];
                }
                else if (!_namedStates.ContainsKey(bufferName))
                    throw new ArgumentException($"{name}: parameter {i} has an unknown buffer '{bufferName}'; this optimiser keeps [{string.Join(", ", _namedStates.Keys)}].", nameof(state));
                else if (values.Length != Parameters[i].Length)
                    throw new ArgumentException($"{name}: parameter {i}'s '{bufferName}' has {values.Length} values, the parameter has {Parameters[i].Length}.", nameof(state));
            }
        }
        // Validated in full first, so a bad state leaves this optimiser untouched.
        LearningRate = state.LearningRate;
        StepCount = state.StepCount;
        _parameterSteps = steps;
        foreach (var (bufferName, states) in _namedStates)
        {
            states.Clear();
            for (int i = 0; i < Parameters.Count; i++)
            {
                if (!state.ParameterStates[i].TryGetValue(bufferName, out var values)) continue;
                states[i] = Parameters[i].DType == DType.Float32 ? Array.ConvertAll(values, x => (float)x) : (double[])values.Clone();
            }
        }
    }

    /// <summary>Updates parameter number <paramref name="index"/> in place from its gradient.</summary>
    protected abstract void Update<T>(int index, Span<T> parameter, ReadOnlySpan<T> gradient) where T : unmanaged, IFloatingPointIeee754<T>;

    /// <summary>
    /// Declares a per-parameter buffer kind under <paramref name="name"/> (PyTorch's state key) so that
    /// <see cref="GetState"/> and <see cref="LoadState"/> include it; pass the result to <see cref="State{T}"/>.
    /// </summary>
    protected Dictionary<int, Array> RegisterState(string name)
    {
        var states = new Dictionary<int, Array>();
        _namedStates.Add(name, states);
        return states;
    }

    /// <summary>How many updates parameter number <paramref name="index"/> has received, counting the current one (PyTorch's per-parameter <c>step</c>).</summary>
    protected long ParameterStepCount(int index) => _parameterSteps[index];

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

    /// <summary>Throws unless 0 ≤ <paramref name="value"/> &lt; 1 (or ≤ 1 when <paramref name="allowOne"/>); the message names the optimiser, argument and value.</summary>
    protected double UnitInterval(double value, string name, bool allowOne = false) => value >= 0 && (value < 1 || (allowOne && value == 1))
        ? value
        : throw new ArgumentOutOfRangeException(name, value, $"{GetType().Name}: {name} must be in [0, 1{(allowOne ? "]" : ")")}, got {value}.");
}
