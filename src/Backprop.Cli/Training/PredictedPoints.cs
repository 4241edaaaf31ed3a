using Backprop.Data;
using Backprop.Training;

namespace Backprop.Cli.Training;

/// <summary>
/// The first rows' (actual, predicted) pairs of a regression, in the target's units, for a predicted-against-actual
/// plot: gathered from the batches <c>Evaluate</c> hands over as it measures the model, so the data is read once.
/// </summary>
internal sealed class PredictedPoints(TablePreprocessor table, int most)
{
    private readonly List<(double Actual, double Predicted)> _points = [];

    /// <summary>The pairs gathered so far, at most <c>most</c>, in the source's order.</summary>
    public IReadOnlyList<(double Actual, double Predicted)> Points => _points;

    /// <summary>Keeps the batch's pairs while there is room (the hook given to <c>Evaluate</c>).</summary>
    public void Add(EvaluatedBatch batch)
    {
        if (_points.Count >= most) return;
        var predicted = batch.Predictions.ToDoubleArray();
        var actual = batch.Batch.Targets!.ToDoubleArray();
        for (int i = 0; i < actual.Length && _points.Count < most; i++) _points.Add((table.ToTarget(actual[i]), table.ToTarget(predicted[i])));
    }
}
