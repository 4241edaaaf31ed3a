namespace Backprop.NN;

/// <summary>
/// A building block of a network: its parameters, its sub-modules and a <see cref="Forward"/> that
/// composes tensor operations (autograd derives the backward pass). Parameters and sub-modules are
/// registered by name in the constructor, which gives PyTorch's parameter names (<c>0.weight</c>).
/// </summary>
public abstract class Module
{
    private readonly List<(string Name, Tensor Tensor)> _parameters = [];
    private readonly List<(string Name, Tensor Tensor)> _buffers = [];
    private readonly HashSet<Tensor> _buffersKeepingDType = [];
    private readonly List<(string Name, Module Module)> _children = [];

    /// <summary>Computes the output for a batch of inputs.</summary>
    public abstract Tensor Forward(Tensor input);

    private bool _training = true;

    /// <summary>
    /// True in training mode (dropout active, batch statistics); false after <see cref="Eval"/>, and on a thread inside
    /// <see cref="InferenceMode"/> (which changes nothing for other threads).
    /// </summary>
    public bool IsTraining => _training && !InferenceMode.IsActive;

    /// <summary>
    /// Sets training mode on this module and all sub-modules; returns this module. Not for a model other threads are
    /// predicting with: they should use <see cref="InferenceMode"/> (as <c>Predict</c> does) instead of a shared mode.
    /// </summary>
    public Module Train(bool training = true)
    {
        _training = training;
        foreach (var (_, child) in _children) child.Train(training);
        return this;
    }

    /// <summary>Sets evaluation mode (as <c>Train(false)</c>); returns this module.</summary>
    public Module Eval() => Train(false);

    /// <summary>Every trainable tensor of this module and its sub-modules, in registration order.</summary>
    public IEnumerable<Tensor> Parameters() => NamedParameters().Select(pair => pair.Parameter);

    /// <summary>Every trainable tensor with its PyTorch-style dotted name, e.g. <c>("0.weight", W)</c>.</summary>
    public IEnumerable<(string Name, Tensor Parameter)> NamedParameters() => Named(module => module._parameters);

    /// <summary>Non-trainable state saved with the model (e.g. batch-norm running statistics), with names.</summary>
    public IEnumerable<(string Name, Tensor Buffer)> NamedBuffers() => Named(module => module._buffers);

    /// <summary>The direct sub-modules with their names.</summary>
    public IEnumerable<(string Name, Module Module)> NamedChildren() => _children;

    /// <summary>
    /// A Keras-style summary for inputs of <paramref name="inputShape"/> (one example's shape, without the batch axis):
    /// every layer's output shape and parameter count, the totals, and the memory of the weights and of one example's
    /// activations; <c>Console.WriteLine(model.Summary(784))</c> prints the table. Runs the model once on zeros inside
    /// <see cref="InferenceMode"/> (its evaluation form, no graph), so the model does not change and other threads may
    /// predict with it meanwhile.
    /// </summary>
    /// <exception cref="ArgumentException">The shape is empty, has a dimension below 1, or a layer does not take what it gives (the message names the layer).</exception>
    public ModelSummary Summary(params int[] inputShape) => ModelSummary.Of(this, inputShape);

    /// <summary>The element type of this module's parameters (Float32 if it has none).</summary>
    public DType DType => Parameters().FirstOrDefault()?.DType ?? DType.Float32;

    /// <summary>
    /// Converts every parameter and buffer in place to <paramref name="dtype"/> (as PyTorch's
    /// <c>model.double()</c>), except buffers registered with <c>keepsDType</c> (counters, as PyTorch leaves
    /// integer buffers alone); returns this module.
    /// </summary>
    public Module To(DType dtype)
    {
        foreach (var (_, tensor) in NamedParameters()) tensor.ConvertInPlace(dtype);
        ConvertBuffers(dtype);
        return this;
    }

    /// <summary>Registers a trainable tensor under <paramref name="name"/>; it is marked as requiring gradients.</summary>
    protected Tensor RegisterParameter(string name, Tensor parameter)
    {
        ArgumentNullException.ThrowIfNull(parameter);
        EnsureNewName(name);
        parameter.RequiresGrad = true;
        parameter.AlignStorage();
        _parameters.Add((name, parameter));
        return parameter;
    }

    /// <summary>Registers non-trainable state under <paramref name="name"/>.</summary>
    /// <param name="name">The buffer's name, e.g. <c>"running_mean"</c>.</param>
    /// <param name="buffer">The tensor.</param>
    /// <param name="keepsDType">
    /// True for a counter (e.g. batch norm's <c>num_batches_tracked</c>, a float64 scalar) that <see cref="To"/>
    /// leaves in its own dtype, so converting a model never rounds a count and a saved model loads back to the same file.
    /// </param>
    protected Tensor RegisterBuffer(string name, Tensor buffer, bool keepsDType = false)
    {
        ArgumentNullException.ThrowIfNull(buffer);
        EnsureNewName(name);
        _buffers.Add((name, buffer));
        if (keepsDType) _buffersKeepingDType.Add(buffer);
        return buffer;
    }

    /// <summary>Registers a sub-module under <paramref name="name"/>.</summary>
    protected TModule RegisterModule<TModule>(string name, TModule module) where TModule : Module
    {
        ArgumentNullException.ThrowIfNull(module);
        EnsureNewName(name);
        _children.Add((name, module));
        return module;
    }

    private void ConvertBuffers(DType dtype)
    {
        foreach (var (_, buffer) in _buffers)
            if (!_buffersKeepingDType.Contains(buffer)) buffer.ConvertInPlace(dtype);
        foreach (var (_, child) in _children) child.ConvertBuffers(dtype);
    }

    private void EnsureNewName(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (_parameters.Any(p => p.Name == name) || _buffers.Any(b => b.Name == name) || _children.Any(c => c.Name == name))
            throw new ArgumentException($"{GetType().Name} already has a member named '{name}'.", nameof(name));
    }

    private IEnumerable<(string, Tensor)> Named(Func<Module, List<(string Name, Tensor Tensor)>> select)
    {
        foreach (var (name, tensor) in select(this)) yield return (name, tensor);
        foreach (var (childName, child) in _children)
            foreach (var (name, tensor) in child.Named(select))
                yield return ($"{childName}.{name}", tensor);
    }

    /// <summary>The module's type and arguments, e.g. <c>Dense(784, 128)</c>.</summary>
    public override string ToString() => GetType().Name;
}
