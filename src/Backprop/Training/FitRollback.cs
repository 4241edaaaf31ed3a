using Backprop.NN;

namespace Backprop.Training;

/// <summary>
/// The cancellation part of <see cref="ModuleTraining.Fit(Module, Data.IDataSource, FitOptions, CancellationToken)"/>: a copy
/// of the weights (parameters and buffers) as the last completed epoch left them, put back when a run is cancelled in the
/// middle of an epoch. Kept only when the token can be cancelled, so other runs copy nothing.
/// </summary>
internal sealed class FitRollback(Module model, CancellationToken cancellationToken)
{
    private Tensor[]? _copies;

    /// <summary>The epoch the copy is of; null for the weights from before Fit.</summary>
    public int? Epoch { get; private set; }

    /// <summary>Copies the weights as they are after <paramref name="epoch"/> (null: before the first epoch); reuses its buffers.</summary>
    public void Keep(int? epoch)
    {
        if (!cancellationToken.CanBeCanceled) return;
        var weights = Weights();
        using (Tensor.NoGrad())
        {
            if (_copies is null) _copies = [.. weights.Select(weight => weight.Detach().Clone())];
            else for (int i = 0; i < weights.Length; i++) _copies[i].CopyFrom(weights[i]);
        }
        Epoch = epoch;
    }

    /// <summary>Puts back the copied weights.</summary>
    public void Restore()
    {
        if (_copies is null) return;
        var weights = Weights();
        using (Tensor.NoGrad())
            for (int i = 0; i < weights.Length; i++) weights[i].CopyFrom(_copies[i]);
    }

    private Tensor[] Weights() => [.. model.Parameters(), .. model.NamedBuffers().Select(pair => pair.Buffer)];
}
