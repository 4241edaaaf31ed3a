namespace Backprop.NN;

/// <summary>The activation of an Elman <see cref="Rnn"/> (PyTorch's <c>nonlinearity</c> argument).</summary>
public enum RnnNonlinearity
{
    /// <summary>h' = tanh(…), PyTorch's default.</summary>
    Tanh,

    /// <summary>h' = max(0, …).</summary>
    Relu,
}
