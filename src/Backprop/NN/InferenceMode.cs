namespace Backprop.NN;

/// <summary>
/// Evaluation semantics as a property of a call rather than of a model: inside the scope, on this thread, every
/// module runs its evaluation form (<see cref="Dropout"/> is the identity, batch normalisation uses its running
/// statistics) and no graph is recorded, whatever <see cref="Module.Train"/> or <see cref="Module.Eval"/> set.
/// Nothing about the model changes, so many threads may each run a scope on one shared model at once.
/// </summary>
/// <remarks>
/// <c>Predict</c>, <c>Evaluate</c> and ONNX export run inside this scope. <see cref="Module.IsTraining"/> reads
/// false inside it; a custom module that branches on <see cref="Module.IsTraining"/> gets the same semantics for free.
/// Scopes nest and belong to the thread that entered them.
/// </remarks>
/// <example>
/// <code>
/// using (InferenceMode.Enter())
/// {
///     var logits = model.Forward(x);   // dropout off, nothing recorded; model.IsTraining is untouched for other threads
/// }
/// </code>
/// </example>
public static class InferenceMode
{
    [ThreadStatic] private static int t_depth;

    /// <summary>Whether a scope is open on this thread.</summary>
    public static bool IsActive => t_depth > 0;

    /// <summary>Opens a scope on this thread; dispose the result (a <c>using</c> block) to close it.</summary>
    public static Scope Enter()
    {
        t_depth++;
        Tensor.EnterNoGrad();
        return new Scope(true);
    }

    /// <summary>An open scope; disposing it closes it (once, however often it is disposed).</summary>
    public struct Scope : IDisposable
    {
        private bool _open;

        internal Scope(bool open) => _open = open;

        /// <summary>Closes the scope.</summary>
        public void Dispose()
        {
            if (!_open) return;
            _open = false;
            Tensor.ExitNoGrad();
            t_depth--;
        }
    }
}
