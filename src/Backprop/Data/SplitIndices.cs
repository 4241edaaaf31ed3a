namespace Backprop.Data;

/// <summary>Row indices of a train/validation split, each array ascending; together they hold every row once.</summary>
/// <param name="Train">Rows to train on.</param>
/// <param name="Validation">Rows held out to measure generalisation.</param>
public sealed record SplitIndices(int[] Train, int[] Validation);
