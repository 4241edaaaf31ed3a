namespace Backprop.Data;

/// <summary>
/// Standardises each feature to zero mean and unit variance: <c>x' = (x − μ) / σ</c>, with μ and σ
/// (population standard deviation, dividing by n) measured on the training rows only, so no
/// information from validation or test rows leaks into training. A feature with σ = 0 is only
/// centred, since dividing would give NaN.
/// </summary>
/// <example>
/// <code>
/// var split = Split.Stratified(table.Labels!, validationFraction: 0.2, seed: 42);
/// var standardizer = Standardizer.Fit(table.Features, table.FeatureCount, split.Train);
/// standardizer.Transform(table.Features);   // every row, with the training rows' μ and σ
/// </code>
/// </example>
public sealed class Standardizer
{
    private readonly float[] _mean;
    private readonly float[] _standardDeviation;

    /// <summary>Restores a standardizer from saved statistics, one per feature.</summary>
    /// <exception cref="ArgumentException">The lengths differ or are zero, or a value is not finite, or a σ is negative.</exception>
    public Standardizer(float[] mean, float[] standardDeviation)
    {
        ArgumentNullException.ThrowIfNull(mean);
        ArgumentNullException.ThrowIfNull(standardDeviation);
        if (mean.Length == 0 || mean.Length != standardDeviation.Length)
            throw new ArgumentException($"mean has {mean.Length} values and standardDeviation {standardDeviation.Length}; both need one per feature.", nameof(standardDeviation));
        int bad = Array.FindIndex(mean, value => !float.IsFinite(value));
        if (bad >= 0) throw new ArgumentException($"mean[{bad}] is {mean[bad]}; it must be finite.", nameof(mean));
        bad = Array.FindIndex(standardDeviation, value => !float.IsFinite(value) || value < 0);
        if (bad >= 0) throw new ArgumentException($"standardDeviation[{bad}] is {standardDeviation[bad]}; it must be finite and ≥ 0.", nameof(standardDeviation));
        _mean = (float[])mean.Clone();
        _standardDeviation = (float[])standardDeviation.Clone();
    }

    /// <summary>Number of features the standardizer was fitted on.</summary>
    public int FeatureCount => _mean.Length;

    /// <summary>μ of each feature over the fitted rows.</summary>
    public IReadOnlyList<float> Mean => _mean;

    /// <summary>σ of each feature over the fitted rows (population, dividing by n).</summary>
    public IReadOnlyList<float> StandardDeviation => _standardDeviation;

    /// <summary>Measures μ and σ over every row of <paramref name="features"/>, shape [rows, featureCount].</summary>
    public static Standardizer Fit(ReadOnlySpan<float> features, int featureCount) =>
        Fit(features, featureCount, FeatureMatrix.AllRows(features, featureCount));

    /// <summary>
    /// Measures μ and σ over the listed <paramref name="rows"/> of <paramref name="features"/>
    /// (shape [rows, featureCount]), typically the training indices of a <see cref="Split"/>.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A row index is outside the features.</exception>
    public static Standardizer Fit(ReadOnlySpan<float> features, int featureCount, ReadOnlySpan<int> rows)
    {
        FeatureMatrix.CheckFitRows(features, featureCount, rows);
        var mean = new double[featureCount];
        foreach (int row in rows)
            for (int j = 0; j < featureCount; j++) mean[j] += features[row * featureCount + j];
        for (int j = 0; j < featureCount; j++) mean[j] /= rows.Length;

        // Two passes in double: a constant float column then has a mean equal to its value exactly
        // (the sum of fewer than 2^29 equal floats is exact in double), so its σ is exactly 0.
        var variance = new double[featureCount];
        foreach (int row in rows)
            for (int j = 0; j < featureCount; j++)
            {
                double deviation = features[row * featureCount + j] - mean[j];
                variance[j] += deviation * deviation;
            }
        int count = rows.Length;
        return new Standardizer(
            Array.ConvertAll(mean, value => (float)value),
            Array.ConvertAll(variance, value => (float)Math.Sqrt(value / count)));
    }

    /// <summary>Standardises <paramref name="features"/> (shape [rows, FeatureCount]) in place.</summary>
    /// <exception cref="ArgumentException">The length is not a whole number of rows of <see cref="FeatureCount"/>.</exception>
    public void Transform(Span<float> features)
    {
        int rows = FeatureMatrix.RowCount(features, FeatureCount);
        for (int row = 0; row < rows; row++)
        {
            var values = features.Slice(row * FeatureCount, FeatureCount);
            for (int j = 0; j < values.Length; j++)
            {
                float centred = values[j] - _mean[j];
                values[j] = _standardDeviation[j] == 0 ? centred : centred / _standardDeviation[j];
            }
        }
    }
}
