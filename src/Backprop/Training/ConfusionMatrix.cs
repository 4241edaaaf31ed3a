namespace Backprop.Training;

/// <summary>
/// Counts of (actual class, predicted class) pairs, with the per-class metrics derived from them:
/// precision = TP/(TP + FP), recall = TP/(TP + FN), F1 = 2PR/(P + R) (0 where undefined, as scikit-learn).
/// </summary>
public sealed class ConfusionMatrix
{
    private readonly int[,] _counts;

    /// <summary>Builds the matrix from actual and predicted class indices in [0, classes).</summary>
    /// <exception cref="ArgumentException">The arrays differ in length or hold a class outside the range.</exception>
    public ConfusionMatrix(IReadOnlyList<int> actual, IReadOnlyList<int> predicted, int classes)
    {
        ArgumentNullException.ThrowIfNull(actual);
        ArgumentNullException.ThrowIfNull(predicted);
        if (classes < 1) throw new ArgumentOutOfRangeException(nameof(classes), classes, $"ConfusionMatrix: classes must be ≥ 1, got {classes}.");
        if (actual.Count != predicted.Count)
            throw new ArgumentException($"ConfusionMatrix: {actual.Count} actual classes but {predicted.Count} predictions.", nameof(predicted));
        _counts = new int[classes, classes];
        for (int i = 0; i < actual.Count; i++)
        {
            if ((uint)actual[i] >= (uint)classes || (uint)predicted[i] >= (uint)classes)
                throw new ArgumentException($"ConfusionMatrix: pair {i} ({actual[i]}, {predicted[i]}) has a class outside [0, {classes}).");
            _counts[actual[i], predicted[i]]++;
        }
        ClassCount = classes;
        Total = actual.Count;
    }

    /// <summary>Number of classes.</summary>
    public int ClassCount { get; }

    /// <summary>Number of examples counted.</summary>
    public int Total { get; }

    /// <summary>How many examples of class <paramref name="actual"/> were predicted as <paramref name="predicted"/>.</summary>
    public int this[int actual, int predicted] => _counts[actual, predicted];

    /// <summary>Fraction of examples on the diagonal.</summary>
    public double Accuracy => Total == 0 ? 0 : (double)Enumerable.Range(0, ClassCount).Sum(c => _counts[c, c]) / Total;

    /// <summary>Of the examples predicted as <paramref name="c"/>, the fraction that are <paramref name="c"/>.</summary>
    public double Precision(int c)
    {
        int predicted = Enumerable.Range(0, ClassCount).Sum(a => _counts[a, c]);
        return predicted == 0 ? 0 : (double)_counts[c, c] / predicted;
    }

    /// <summary>Of the examples of class <paramref name="c"/>, the fraction predicted as <paramref name="c"/>.</summary>
    public double Recall(int c)
    {
        int support = Support(c);
        return support == 0 ? 0 : (double)_counts[c, c] / support;
    }

    /// <summary>The harmonic mean of precision and recall.</summary>
    public double F1(int c)
    {
        double p = Precision(c), r = Recall(c);
        return p + r == 0 ? 0 : 2 * p * r / (p + r);
    }

    /// <summary>Number of examples whose actual class is <paramref name="c"/>.</summary>
    public int Support(int c) => Enumerable.Range(0, ClassCount).Sum(p => _counts[c, p]);
}
