using Backprop.Data;

namespace Backprop.Tests.Data;

public class StandardizerTests
{
    [Fact]
    public void Fit_OnTrainRowsOnly_IgnoresOtherRows()
    {
        // Rows 0 and 1 are training rows; row 2 is an outlier that must not move μ or σ.
        float[] features = [1, 10, 3, 10, 1000, -5];

        var standardizer = Standardizer.Fit(features, featureCount: 2, rows: [0, 1]);
        standardizer.Transform(features);

        // Worked by hand: feature 0 has μ = 2, σ = 1; feature 1 is constant 10, so it is only centred.
        Assert.Equal([2f, 10f], standardizer.Mean);
        Assert.Equal([1f, 0f], standardizer.StandardDeviation);
        Assert.Equal([-1f, 0f, 1f, 0f, 998f, -15f], features);
    }

    [Fact]
    public void Transform_Iris_GivesZeroMeanUnitVarianceOnTrainingRows()
    {
        var iris = CsvTable.Load(RepoPaths.Data("iris", "iris.csv"));
        var split = Split.Stratified(iris.Labels!, 0.2, seed: 7);
        float[] features = iris.Features;

        var standardizer = Standardizer.Fit(features, iris.FeatureCount, split.Train);
        standardizer.Transform(features);

        for (int j = 0; j < iris.FeatureCount; j++)
        {
            double[] column = [.. split.Train.Select(row => (double)features[row * iris.FeatureCount + j])];
            double mean = column.Average();
            double variance = column.Select(value => (value - mean) * (value - mean)).Average();
            Assert.Equal(0, mean, 1e-5);
            Assert.Equal(1, variance, 1e-5);
        }
    }

    [Fact]
    public void Fit_RowOutsideFeatures_QuotesIt()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => Standardizer.Fit(new float[6], 2, [0, 3]));

        Assert.Contains("rows[1] is 3, outside 0..2", error.Message);
    }

    [Fact]
    public void Transform_WrongWidth_IsRejected()
    {
        var standardizer = new Standardizer([0f, 0f, 0f], [1f, 1f, 1f]);

        var error = Assert.Throws<ArgumentException>(() => standardizer.Transform(new float[4]));

        Assert.Contains("4 values are not whole rows of 3 features", error.Message);
    }
}
