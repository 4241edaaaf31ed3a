using Backprop.Autograd;
using Backprop.Tensors;

namespace Backprop;

public sealed partial class Tensor
{
    [ThreadStatic] private static int t_noGradDepth;

    internal Node? GradFn { get; private set; }

    private Tensor? _pendingGradient;

    /// <summary>True for tensors not produced by a recorded operation (parameters, inputs).</summary>
    public bool IsLeaf => GradFn is null;

    /// <summary>Whether <see cref="Grad"/> is kept for this non-leaf tensor after <see cref="Backward"/>.</summary>
    public bool RetainsGrad { get; private set; }

    /// <summary>Whether operations on this thread are currently recorded (false inside <see cref="NoGrad"/>).</summary>
    public static bool IsGradEnabled => t_noGradDepth == 0;

    /// <summary>
    /// Keeps the gradient of this intermediate result in <see cref="Grad"/> after <see cref="Backward"/>
    /// (as PyTorch's <c>retain_grad()</c>), e.g. to show ∂E/∂net of a neuron.
    /// </summary>
    public Tensor RetainGrad()
    {
        if (!RequiresGrad)
            throw new InvalidOperationException("RetainGrad() on a tensor that does not require gradients: no gradient will ever reach it.");
        RetainsGrad = true;
        return this;
    }

    /// <summary>
    /// Starts a scope in which operations are not recorded (inference, optimiser updates). Dispose it to
    /// end the scope: <c>using (Tensor.NoGrad()) { … }</c>. Scopes nest and are per thread.
    /// </summary>
    public static IDisposable NoGrad() => new NoGradScope();

    /// <summary>
    /// Enters a no-grad region without allocating a scope object, for the library's own hot paths (Backward,
    /// optimiser steps); pair with <see cref="ExitNoGrad"/> in a finally block.
    /// </summary>
    internal static void EnterNoGrad() => t_noGradDepth++;

    /// <summary>Leaves the region <see cref="EnterNoGrad"/> entered.</summary>
    internal static void ExitNoGrad() => t_noGradDepth--;

    private sealed class NoGradScope : IDisposable
    {
        private bool _disposed;

        public NoGradScope() => t_noGradDepth++;

        public void Dispose()
        {
            if (_disposed) return;
            _disposed = true;
            t_noGradDepth--;
        }
    }

    /// <summary>
    /// Creates the result of an operation, recording it in the graph when gradients are enabled and any
    /// input requires them. <paramref name="backwardRule"/> receives ∂L/∂result and must call
    /// <see cref="AccumulateGradient"/> on the inputs that require gradients.
    /// </summary>
    internal static Tensor Record(Tensor result, string operation, Tensor[] inputs, Action<Tensor> backwardRule)
    {
        if (!IsGradEnabled) return result;
        foreach (var input in inputs)
        {
            if (!input.RequiresGrad) continue;
            result.GradFn = new Node(operation, inputs, backwardRule);
            result._requiresGrad = true;
            break;
        }
        return result;
    }

    /// <summary>Adds a gradient contribution flowing into this tensor during <see cref="Backward"/>.</summary>
    internal void AccumulateGradient(Tensor gradient)
    {
        if (!RequiresGrad) return;
        if (!ShapeMath.SameShape(this, gradient))
            throw new InvalidOperationException($"internal error: gradient of shape {ShapeMath.Format(gradient.Dims)} for a tensor of shape {ShapeMath.Format(Dims)}");
        // A contribution may be shared with another input (add passes the same gradient to both), so it
        // is never modified in place: the sum is a new tensor (computed directly: rules run without recording).
        _pendingGradient = _pendingGradient is null ? gradient : Broadcasting<AddOperator>("Add", _pendingGradient, gradient);
    }

    /// <summary>
    /// Backpropagates from this scalar (e.g. a loss): walks the graph in reverse topological order,
    /// applying each operation's chain-rule factor once per edge, and adds ∂this/∂leaf into every leaf's
    /// <see cref="Grad"/>. Gradients accumulate across calls, as in PyTorch: call ZeroGrad between steps.
    /// The graph is freed afterwards; a second Backward() through it fails with a clear message unless
    /// the first one passed <paramref name="retainGraph"/> = true.
    /// </summary>
    /// <param name="gradient">∂L/∂this; omitted, it is 1 and this tensor must hold a single element.</param>
    /// <param name="retainGraph">Keep the graph so Backward() can run through it again (the gradients add).</param>
    public void Backward(Tensor? gradient = null, bool retainGraph = false)
    {
        if (!RequiresGrad)
            throw new InvalidOperationException("Backward() on a tensor that does not require gradients: set RequiresGrad on the parameters or inputs first.");
        if (gradient is null)
        {
            if (Length != 1)
                throw new InvalidOperationException($"Backward() without a gradient needs a one-element tensor (a loss); this one has shape {ShapeMath.Format(Dims)}. Pass ∂L/∂this as the gradient.");
            gradient = Full(1, DType, Dims);
        }
        else if (!ShapeMath.SameShape(this, gradient))
            throw new ArgumentException($"Backward: gradient shape {ShapeMath.Format(gradient.Dims)} does not match tensor shape {ShapeMath.Format(Dims)}.", nameof(gradient));

        // The sort's collections are reused by the thread's next Backward (taken out while in use, so a
        // Backward nested in a backward rule gets its own): a tiny network's step would otherwise spend
        // more on allocating them than on its arithmetic.
        var scratch = t_sortScratch ?? new SortScratch();
        t_sortScratch = null;
        EnterNoGrad();
        try
        {
            var order = TopologicalOrder(scratch);
            _pendingGradient = gradient.DType == DType ? gradient : gradient.ToDType(DType);
            for (int i = order.Count - 1; i >= 0; i--)
            {
                var tensor = order[i];
                var incoming = tensor._pendingGradient;
                tensor._pendingGradient = null;
                if (incoming is null) continue;
                if (tensor.IsLeaf || tensor.RetainsGrad) tensor.AddToGrad(incoming);
                if (tensor.GradFn is null) continue;
                tensor.GradFn.RunBackward(incoming);
                if (!retainGraph) tensor.GradFn.Release();
            }
        }
        finally
        {
            ExitNoGrad();
            scratch.Clear();
            t_sortScratch = scratch;
        }
    }

    private void AddToGrad(Tensor incoming)
    {
        if (_grad is null) Grad = AsGradient(incoming.Clone());
        else if (_gradIsZero) _grad.CopyFrom(incoming);
        else _grad.AddInPlace(incoming);
        _gradIsZero = false;
    }

    /// <summary>Makes <see cref="Grad"/> read as zeros, keeping its buffer for the next gradient to overwrite.</summary>
    internal void ZeroGrad()
    {
        if (_grad is not null) _gradIsZero = true;
    }

    /// <summary>
    /// The buffer a backward rule may write this tensor's gradient contribution into directly, and whether to add
    /// to it (false when it stands for zeros), or null when the contribution must go through
    /// <see cref="AccumulateGradient"/>. Only a leaf's <see cref="Grad"/> qualifies: it is where its contributions
    /// end up, so writing there saves a temporary and an addition pass (for a dense layer's weight, 400 KB each
    /// at 784×128). The buffer is allocated outside the training step's arena: it outlives the step.
    /// </summary>
    internal Tensor? DirectGradient(out bool accumulate)
    {
        accumulate = false;
        if (!RequiresGrad || !IsLeaf) return null;
        if (_grad is null) _grad = AsGradient(ZerosLike(this));
        else accumulate = !_gradIsZero;
        _gradIsZero = false;
        return _grad;
    }

    [ThreadStatic] private static SortScratch? t_sortScratch;

    /// <summary>The collections of one topological sort, kept per thread between calls.</summary>
    private sealed class SortScratch
    {
        public readonly List<Tensor> Order = [];
        public readonly Stack<(Tensor Tensor, int NextInput)> Stack = new();

        /// <summary>Empties the collections (dropping their references to the graph) and keeps their capacity.</summary>
        public void Clear()
        {
            Order.Clear();
            Stack.Clear();
        }
    }

    /// <summary>The last sort number handed out; every sort takes a new one, process-wide.</summary>
    private static long s_lastSort;

    /// <summary>The number of the last sort that reached this tensor: it marks the tensor visited in that sort.</summary>
    private long _visitedBySort;

    /// <summary>Tensors reachable from this one that require gradients, each after all of its inputs.</summary>
    /// <remarks>
    /// A visited tensor carries the sort's number rather than going into a hash set: hashing each new tensor's identity
    /// took a large share of a step of a network as small as the textbook 2-2-2 one. The numbers are 64-bit, so no
    /// tensor can keep a stale mark until they wrap. Backward passes running at once through shared tensors were never
    /// safe (gradients accumulate in the tensors themselves); there, a mark overwritten by the other sort can only list
    /// a tensor twice, and its second visit finds no gradient pending.
    /// </remarks>
    private List<Tensor> TopologicalOrder(SortScratch scratch)
    {
        var order = scratch.Order;
        long sort = Interlocked.Increment(ref s_lastSort);
        // An explicit stack rather than recursion: unrolled recurrent graphs are thousands of nodes deep.
        var stack = scratch.Stack;
        _visitedBySort = sort;
        stack.Push((this, 0));
        while (stack.Count > 0)
        {
            var (tensor, next) = stack.Pop();
            var inputs = tensor.GradFn is { } node ? node.InputArray : [];
            if (next < inputs.Length)
            {
                stack.Push((tensor, next + 1));
                var input = inputs[next];
                if (input.RequiresGrad && input._visitedBySort != sort)
                {
                    input._visitedBySort = sort;
                    stack.Push((input, 0));
                }
            }
            else order.Add(tensor);
        }
        return order;
    }
}
