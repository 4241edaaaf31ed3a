namespace Backprop.Data;

/// <summary>Consecutive rows of a table after preprocessing, as <see cref="TableSource.ReadBatches"/> hands them out.</summary>
/// <param name="Count">Rows in the batch.</param>
/// <param name="Features">Row-major [Count, FeatureCount].</param>
/// <param name="Labels">Class indices, for a labelled classification table; otherwise null.</param>
/// <param name="Targets">Standardised targets, for a labelled regression table; otherwise null.</param>
/// <param name="Ids">The identifier column's texts, when the preprocessing has one and the file holds it; otherwise null.</param>
/// <param name="FirstRow">The 0-based position of the batch's first row among the rows read.</param>
public sealed record TableBatch(int Count, float[] Features, int[]? Labels, float[]? Targets, string[]? Ids, long FirstRow);
