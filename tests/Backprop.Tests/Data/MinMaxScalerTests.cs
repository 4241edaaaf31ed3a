using Backprop.Data;

namespace Backprop.Tests.Data;

public class MinMaxScalerTests
{
    [Fact]
    public void Transform_MapsTrainingRangeToUnitInterval()
    {
        // Training rows 0..2; row 3 lies beyond the training range and maps beyond 1.
        float[] features = [2, 5, 4, 5, 6, 5, 10, 7];

        var scaler = MinMaxScaler.Fit(features, featureCount: 2, rows: [0, 1, 2]);
        scaler.Transform(features);

        // Worked by hand: feature 0 spans 2..6; feature 1 is constant 5, so it is only shifted.
        Assert.Equal([2f, 5f], scaler.Minimum);
        Assert.Equal([6f, 5f], scaler.Maximum);
        Assert.Equal([0f, 0f, 0.5f, 0f, 1f, 0f, 2f, 2f], features);
    }

    [Fact]
    public void Fit_AllRows_UsesEveryRow()
    {
        var scaler = MinMaxScaler.Fit([3f, -1f, 7f], featureCount: 1);

        Assert.Equal([-1f], scaler.Minimum);
        Assert.Equal([7f], scaler.Maximum);
    }
}
