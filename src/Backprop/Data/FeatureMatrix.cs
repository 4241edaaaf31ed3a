namespace Backprop.Data;

/// <summary>Argument checks shared by the scalers, which take a row-major [rows, featureCount] array.</summary>
internal static class FeatureMatrix
{
    public static int RowCount(ReadOnlySpan<float> features, int featureCount)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(featureCount, 1);
        if (features.Length % featureCount != 0)
            throw new ArgumentException($"{features.Length} values are not whole rows of {featureCount} features.", nameof(features));
        return features.Length / featureCount;
    }

    public static int[] AllRows(ReadOnlySpan<float> features, int featureCount) =>
        [.. Enumerable.Range(0, RowCount(features, featureCount))];

    public static void CheckFitRows(ReadOnlySpan<float> features, int featureCount, ReadOnlySpan<int> rows)
    {
        int rowCount = RowCount(features, featureCount);
        if (rows.IsEmpty)
            throw new ArgumentException("Cannot fit on zero rows.", nameof(rows));
        for (int i = 0; i < rows.Length; i++)
            if ((uint)rows[i] >= (uint)rowCount)
                throw new ArgumentOutOfRangeException(nameof(rows), rows[i], $"rows[{i}] is {rows[i]}, outside 0..{rowCount - 1} (the features hold {rowCount} rows).");
    }
}
