using Backprop.Tensors;

namespace Backprop.Data;

/// <summary>
/// Deterministic train/validation splits that return row indices, so any storage (arrays, tensors,
/// a file read in batches) can use them. The same arguments and seed give the same split on every
/// machine and .NET version.
/// </summary>
/// <example>
/// <code>
/// var iris = CsvTable.Load("data/iris/iris.csv");
/// SplitIndices split = Split.Stratified(iris.Labels!, validationFraction: 0.2, seed: 42);
/// // split.Train: 120 rows, split.Validation: 30 rows, 10 of each species
/// </code>
/// </example>
public static class Split
{
    /// <summary>
    /// Splits so that each class is divided in the same proportion: of the n<sub>c</sub> rows of class
    /// c, round(n<sub>c</sub> × <paramref name="validationFraction"/>) (halves away from zero) go to
    /// validation, chosen at random. Every class's share is thus within half a row of the fraction.
    /// </summary>
    /// <param name="labels">Class index of each row, ≥ 0.</param>
    /// <param name="validationFraction">Share of each class held out, strictly between 0 and 1.</param>
    /// <param name="seed">Selects the split; another seed gives another split.</param>
    /// <exception cref="ArgumentOutOfRangeException">The fraction is not strictly between 0 and 1 or leaves no training row, or a label is negative.</exception>
    public static SplitIndices Stratified(ReadOnlySpan<int> labels, double validationFraction, int seed)
    {
        CheckFraction(validationFraction);
        var rowsByClass = new SortedDictionary<int, List<int>>();
        for (int row = 0; row < labels.Length; row++)
        {
            int label = labels[row];
            ArgumentOutOfRangeException.ThrowIfNegative(label, $"labels[{row}]");
            if (!rowsByClass.TryGetValue(label, out var rows)) rowsByClass[label] = rows = [];
            rows.Add(row);
        }

        var random = new SplitMix64(unchecked((ulong)seed));
        var train = new List<int>(labels.Length);
        var validation = new List<int>();
        foreach (var rows in rowsByClass.Values)
        {
            var shuffled = rows.ToArray();
            random.Shuffle(shuffled);
            int held = HeldOut(shuffled.Length, validationFraction);
            validation.AddRange(shuffled.AsSpan(0, held));
            train.AddRange(shuffled.AsSpan(held));
        }
        RequireTrainingRows(train.Count, labels.Length, validationFraction);
        return Sorted(train, validation);
    }

    /// <summary>
    /// Splits rows 0..<paramref name="count"/>−1 at random, round(count × <paramref name="validationFraction"/>)
    /// (halves away from zero) to validation: for regression targets or unlabelled data.
    /// </summary>
    /// <param name="count">Number of rows, ≥ 0.</param>
    /// <param name="validationFraction">Share held out, strictly between 0 and 1.</param>
    /// <param name="seed">Selects the split; another seed gives another split.</param>
    /// <exception cref="ArgumentOutOfRangeException">The count is negative or the fraction is not strictly between 0 and 1 or leaves no training row.</exception>
    public static SplitIndices Shuffled(int count, double validationFraction, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        CheckFraction(validationFraction);
        var rows = Enumerable.Range(0, count).ToArray();
        new SplitMix64(unchecked((ulong)seed)).Shuffle(rows);
        int held = HeldOut(count, validationFraction);
        RequireTrainingRows(count - held, count, validationFraction);
        return Sorted([.. rows.AsSpan(held)], [.. rows.AsSpan(0, held)]);
    }

    private static void CheckFraction(double validationFraction)
    {
        if (!(validationFraction > 0 && validationFraction < 1))
            throw new ArgumentOutOfRangeException(nameof(validationFraction), validationFraction,
                $"validationFraction is {validationFraction}; it must be strictly between 0 and 1.");
    }

    /// <summary>A split that leaves nothing to train on is a mistake in the fraction, said as such rather than by the fit that fails later.</summary>
    private static void RequireTrainingRows(int trainRows, int rows, double validationFraction)
    {
        if (trainRows == 0 && rows > 0)
            throw new ArgumentOutOfRangeException(nameof(validationFraction), validationFraction,
                $"A validation fraction of {validationFraction} holds out all {rows} rows: no training rows are left; use a smaller fraction.");
    }

    private static int HeldOut(int rows, double validationFraction) =>
        (int)Math.Round(rows * validationFraction, MidpointRounding.AwayFromZero);

    // Ascending order keeps reads of the underlying storage sequential; training shuffles per epoch anyway.
    private static SplitIndices Sorted(List<int> train, List<int> validation)
    {
        train.Sort();
        validation.Sort();
        return new SplitIndices([.. train], [.. validation]);
    }
}
