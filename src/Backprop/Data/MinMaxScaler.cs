namespace Backprop.Data;

/// <summary>
/// Scales each feature to [0, 1]: <c>x' = (x − min) / (max − min)</c>, with min and max measured on
/// the training rows only; rows outside the training range map outside [0, 1]. A feature with
/// max = min is only shifted (to 0), since dividing would give NaN.
/// </summary>
/// <example>
/// <code>
/// var scaler = MinMaxScaler.Fit(table.Features, table.FeatureCount, split.Train);
/// scaler.Transform(table.Features);
/// </code>
/// </example>
public sealed class MinMaxScaler
{
    private readonly float[] _minimum;
    private readonly float[] _maximum;

    /// <summary>Restores a scaler from saved ranges, one per feature.</summary>
    /// <exception cref="ArgumentException">The lengths differ or are zero, a value is not finite, or a minimum exceeds its maximum.</exception>
    public MinMaxScaler(float[] minimum, float[] maximum)
    {
        ArgumentNullException.ThrowIfNull(minimum);
        ArgumentNullException.ThrowIfNull(maximum);
        if (minimum.Length == 0 || minimum.Length != maximum.Length)
            throw new ArgumentException($"minimum has {minimum.Length} values and maximum {maximum.Length}; both need one per feature.", nameof(maximum));
        for (int j = 0; j < minimum.Length; j++)
            if (!float.IsFinite(minimum[j]) || !float.IsFinite(maximum[j]) || minimum[j] > maximum[j])
                throw new ArgumentException($"feature {j} has minimum {minimum[j]} and maximum {maximum[j]}; both must be finite with minimum ≤ maximum.", nameof(minimum));
        _minimum = (float[])minimum.Clone();
        _maximum = (float[])maximum.Clone();
    }

    /// <summary>Number of features the scaler was fitted on.</summary>
    public int FeatureCount => _minimum.Length;

    /// <summary>Smallest value of each feature over the fitted rows.</summary>
    public IReadOnlyList<float> Minimum => _minimum;

    /// <summary>Largest value of each feature over the fitted rows.</summary>
    public IReadOnlyList<float> Maximum => _maximum;

    /// <summary>Measures each feature's range over every row of <paramref name="features"/>, shape [rows, featureCount].</summary>
    public static MinMaxScaler Fit(ReadOnlySpan<float> features, int featureCount) =>
        Fit(features, featureCount, FeatureMatrix.AllRows(features, featureCount));

    /// <summary>Measures each feature's range over the listed <paramref name="rows"/>, typically the training indices of a <see cref="Split"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A row index is outside the features.</exception>
    public static MinMaxScaler Fit(ReadOnlySpan<float> features, int featureCount, ReadOnlySpan<int> rows)
    {
        FeatureMatrix.CheckFitRows(features, featureCount, rows);
        var minimum = features.Slice(rows[0] * featureCount, featureCount).ToArray();
        var maximum = (float[])minimum.Clone();
        foreach (int row in rows)
            for (int j = 0; j < featureCount; j++)
            {
                float value = features[row * featureCount + j];
                minimum[j] = Math.Min(minimum[j], value);
                maximum[j] = Math.Max(maximum[j], value);
            }
        return new MinMaxScaler(minimum, maximum);
    }

    /// <summary>Scales <paramref name="features"/> (shape [rows, FeatureCount]) in place.</summary>
    /// <exception cref="ArgumentException">The length is not a whole number of rows of <see cref="FeatureCount"/>.</exception>
    public void Transform(Span<float> features)
    {
        int rows = FeatureMatrix.RowCount(features, FeatureCount);
        for (int row = 0; row < rows; row++)
        {
            var values = features.Slice(row * FeatureCount, FeatureCount);
            for (int j = 0; j < values.Length; j++)
            {
                float range = _maximum[j] - _minimum[j];
                float shifted = values[j] - _minimum[j];
                values[j] = range == 0 ? shifted : shifted / range;
            }
        }
    }
}
