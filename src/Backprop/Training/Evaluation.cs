namespace Backprop.Training;

/// <summary>The result of <see cref="ModuleTraining.Evaluate(NN.Module, Data.IDataSource, Losses.Loss?, int)"/>.</summary>
public sealed record Evaluation
{
    /// <summary>Mean loss over the examples (NaN when no loss was given).</summary>
    public required double Loss { get; init; }

    /// <summary>Number of examples evaluated.</summary>
    public required int Count { get; init; }

    /// <summary>For classification: the confusion matrix, from which accuracy and per-class precision/recall/F1 follow.</summary>
    public ConfusionMatrix? Confusion { get; init; }

    /// <summary>For classification: the fraction classified correctly.</summary>
    public double? Accuracy => Confusion?.Accuracy;

    /// <summary>For regression: mean of (prediction − target)².</summary>
    public double? MeanSquaredError { get; init; }

    /// <summary>For regression: mean of |prediction − target|.</summary>
    public double? MeanAbsoluteError { get; init; }

    /// <summary>For regression: the coefficient of determination 1 − Σ(prediction − target)² / Σ(target − mean target)², over every target value; null when the targets are all equal.</summary>
    public double? RSquared { get; init; }
}
