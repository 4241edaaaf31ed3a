namespace Backprop.Training;

/// <summary>
/// Counts of (actual class, predicted class) pairs, with the per-class metrics derived from them:
/// precision = TP/(TP + FP), recall = TP/(TP + FN), F1 = 2PR/(P + R) (0 where undefined, as scikit-learn).
/// </summary>
/// <remarks>
/// Only the pairs that occur are stored, with each class's row and column totals, so the memory is that of the
/// examples, not of classes² cells: 10,000 examples of a 10,000-class model take a few hundred kilobytes, not the
/// 400 MB of a full table. Every per-class metric is then O(1).
/// </remarks>
public sealed class ConfusionMatrix
{
    private readonly Dictionary<long, int> _counts = [];
    private readonly int[] _support;
    private readonly int[] _predicted;
    private readonly int[] _correct;

    /// <summary>Builds the matrix from actual and predicted class indices in [0, classes).</summary>
    /// <exception cref="ArgumentException">The arrays differ in length or hold a class outside the range.</exception>
    public ConfusionMatrix(IReadOnlyList<int> actual, IReadOnlyList<int> predicted, int classes)
    {
        ArgumentNullException.ThrowIfNull(actual);
        ArgumentNullException.ThrowIfNull(predicted);
        if (classes < 1) throw new ArgumentOutOfRangeException(nameof(classes), classes, $"ConfusionMatrix: classes must be ≥ 1, got {classes}.");
        if (actual.Count != predicted.Count)
            throw new ArgumentException($"ConfusionMatrix: {actual.Count} actual classes but {predicted.Count} predictions.", nameof(predicted));
        (_support, _predicted, _correct) = (new int[classes], new int[classes], new int[classes]);
        for (int i = 0; i < actual.Count; i++)
        {
            int a = actual[i], p = predicted[i];
            if ((uint)a >= (uint)classes || (uint)p >= (uint)classes)
                throw new ArgumentException($"ConfusionMatrix: pair {i} ({a}, {p}) has a class outside [0, {classes}).");
            long key = (long)a * classes + p;
            _counts[key] = _counts.GetValueOrDefault(key) + 1;
            _support[a]++;
            _predicted[p]++;
            if (a == p) _correct[a]++;
        }
        ClassCount = classes;
        Total = actual.Count;
    }

    /// <summary>Number of classes.</summary>
    public int ClassCount { get; }

    /// <summary>Number of examples counted.</summary>
    public int Total { get; }

    /// <summary>How many examples of class <paramref name="actual"/> were predicted as <paramref name="predicted"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A class outside [0, <see cref="ClassCount"/>).</exception>
    public int this[int actual, int predicted]
    {
        get
        {
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)actual, (uint)ClassCount, nameof(actual));
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)predicted, (uint)ClassCount, nameof(predicted));
            return _counts.GetValueOrDefault((long)actual * ClassCount + predicted);
        }
    }

    /// <summary>Fraction of examples on the diagonal.</summary>
    public double Accuracy => Total == 0 ? 0 : (double)_correct.Sum() / Total;

    /// <summary>
    /// The cells that are not zero, as (actual, predicted, count), ordered by actual then predicted class: the whole
    /// matrix in as many entries as there are distinct pairs (a sparse form for many classes).
    /// </summary>
    public IEnumerable<(int Actual, int Predicted, int Count)> NonZeroCells() =>
        _counts.OrderBy(pair => pair.Key).Select(pair => ((int)(pair.Key / ClassCount), (int)(pair.Key % ClassCount), pair.Value));

    /// <summary>Of the examples predicted as <paramref name="c"/>, the fraction that are <paramref name="c"/>.</summary>
    public double Precision(int c) => _predicted[c] == 0 ? 0 : (double)_correct[c] / _predicted[c];

    /// <summary>Of the examples of class <paramref name="c"/>, the fraction predicted as <paramref name="c"/>.</summary>
    public double Recall(int c) => _support[c] == 0 ? 0 : (double)_correct[c] / _support[c];

    /// <summary>The harmonic mean of precision and recall.</summary>
    public double F1(int c)
    {
        double p = Precision(c), r = Recall(c);
        return p + r == 0 ? 0 : 2 * p * r / (p + r);
    }

    /// <summary>Number of examples whose actual class is <paramref name="c"/>.</summary>
    public int Support(int c) => _support[c];
}
