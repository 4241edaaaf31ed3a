namespace Backprop.Data;

/// <summary>Consecutive rows of a CSV file, as <see cref="CsvReader.ReadBatches"/> hands them out.</summary>
public sealed class CsvBatch
{
    internal CsvBatch(int rows, float[] features, int[]? labels, float[]? targets)
    {
        Rows = rows;
        Features = features;
        Labels = labels;
        Targets = targets;
    }

    /// <summary>Number of rows in this batch; the last batch of a file may be short.</summary>
    public int Rows { get; }

    /// <summary>Feature values, row-major, shape [Rows, FeatureCount].</summary>
    public float[] Features { get; }

    /// <summary>Class index of each row; <see langword="null"/> in regression mode.</summary>
    public int[]? Labels { get; }

    /// <summary>Numeric target of each row in regression mode; otherwise <see langword="null"/>.</summary>
    public float[]? Targets { get; }
}
