namespace Backprop.Autograd;

/// <summary>
/// One recorded operation of the graph: the tensors it read and the rule that turns the gradient of
/// its result into gradients of those inputs (the local factor of the chain rule).
/// </summary>
internal sealed class Node(string operation, Tensor[] inputs, Action<Tensor> backwardRule)
{
    private Action<Tensor>? _backwardRule = backwardRule;
    private Tensor[] _inputs = inputs;

    /// <summary>The operation's name, for error messages and graph traces.</summary>
    public string Operation { get; } = operation;

    public IReadOnlyList<Tensor> Inputs => _inputs;

    /// <summary>The inputs as the array itself, for the topological sort (indexing an interface costs a call per input).</summary>
    public Tensor[] InputArray => _inputs;

    public void RunBackward(Tensor outputGradient)
    {
        if (_backwardRule is null)
            throw new InvalidOperationException(
                $"Backward() reached '{Operation}' a second time, but the graph was freed after the first Backward(). " +
                "Call Backward(retainGraph: true) the first time to backpropagate through the same graph again.");
        _backwardRule(outputGradient);
    }

    /// <summary>Drops the saved inputs and closure so intermediate values can be collected.</summary>
    public void Release()
    {
        _backwardRule = null;
        _inputs = [];
    }
}
