using Backprop.Autograd;
using Backprop.Losses;

namespace Backprop.Tests.Losses;

/// <summary>MAE and Huber: values worked by hand, gradients against central finite differences in float64.</summary>
public class RegressionLossTests
{
    // Errors (prediction − target) 1, −2, 0.5, −0.25 by hand.
    private static readonly Tensor Prediction = Tensor.FromArray(new[] { 1.0, 0.0, 2.5, 1.75 }, 2, 2);
    private static readonly Tensor Target = Tensor.FromArray(new[] { 0.0, 2.0, 2.0, 2.0 }, 2, 2);

    [Fact]
    public void Mae_OfKnownErrors_IsTheMeanAbsoluteError() =>
        // |1| + |−2| + |0.5| + |−0.25| = 3.75, over 4.
        Assert.Equal(3.75 / 4, new MaeLoss().Forward(Prediction, Target).Item(), 14);

    [Fact]
    public void Huber_OfKnownErrors_IsQuadraticInsideDeltaAndLinearOutside() =>
        // δ = 1: ½·1² = 0.5; 1·(2 − ½) = 1.5; ½·0.25 = 0.125; ½·0.0625 = 0.03125; sum 2.15625 over 4.
        Assert.Equal(2.15625 / 4, new HuberLoss().Forward(Prediction, Target).Item(), 14);

    [Theory]
    [InlineData(Reduction.Mean)]
    [InlineData(Reduction.Sum)]
    [InlineData(Reduction.None)]
    public void Backward_OfMaeAndHuber_MatchesFiniteDifferences(Reduction reduction)
    {
        // Values drawn away from the kinks (|e| = 0 and |e| = δ) where a finite difference straddles two slopes.
        var prediction = Tensor.FromArray(new[] { 0.3, -1.7, 2.2, 0.9, -0.4, 1.6 }, 2, 3);
        var target = Tensor.FromArray(new[] { 0.0, 0.1, -0.2, 0.5, 0.7, 0.1 }, 2, 3);
        foreach (Loss loss in new Loss[] { new MaeLoss(reduction), new HuberLoss(1, reduction), new HuberLoss(0.5, reduction) })
        {
            var result = GradCheck.Run(x => loss.Forward(x[0], x[1]), prediction, target);
            Assert.True(result.Passed(1e-6), $"{loss.GetType().Name}: max relative error {result.MaxRelativeError:E2} at {result.WorstElement}");
        }
    }

    [Fact]
    public void Huber_RefusesANonPositiveDelta() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new HuberLoss(0));
}
