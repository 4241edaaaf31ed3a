namespace Backprop.Data;

/// <summary>How <see cref="TablePreprocessor"/> scales a numeric column, with statistics of the training rows after imputation.</summary>
public enum FeatureScaling
{
    /// <summary>x' = (x − mean) / std (std 0 divides by 1), as scikit-learn's StandardScaler.</summary>
    Standard,

    /// <summary>x' = (x − min) / (max − min) (a constant column divides by 1), into [0, 1] on the training rows.</summary>
    MinMax,

    /// <summary>x' = x / 255, for pixel tables whose columns are 0–255.</summary>
    Unit,

    /// <summary>x' = x.</summary>
    None,
}
