using Backprop.NN;

namespace Backprop.Training;

/// <summary>Tracks one early-stopping criterion: the best value so far, its epoch and weights, and how long since.</summary>
internal sealed class ImprovementWatcher(Stop.Criterion criterion)
{
    private double _best = double.NaN;
    private int _waited;
    private Tensor[]? _bestWeights;

    public Stop.Criterion Criterion { get; } = criterion;

    public int BestEpoch { get; private set; }

    /// <summary>Records the epoch; true when patience has run out.</summary>
    public bool Observe(Module model, EpochResult result)
    {
        if (Criterion.Metric.ValueIn(result) is not double current) return false;
        if (Criterion.Metric.Improves(current, _best, Criterion.MinDelta))
        {
            _best = current;
            BestEpoch = result.Epoch;
            _waited = 0;
            if (Criterion.RestoreBestWeights) _bestWeights = model.Parameters().Select(p => p.Clone()).ToArray();
            return false;
        }
        return ++_waited >= Criterion.Patience;
    }

    public void Restore(Module model)
    {
        if (_bestWeights is null) return;
        foreach (var (parameter, best) in model.Parameters().Zip(_bestWeights)) parameter.CopyFrom(best);
    }
}
