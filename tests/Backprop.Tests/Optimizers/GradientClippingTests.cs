using Backprop.Optimizers;

namespace Backprop.Tests.Optimizers;

public class GradientClippingTests
{
    private static Tensor WithGradient(double[] gradient, DType dtype = DType.Float64)
    {
        var parameter = Tensor.Zeros(gradient.Length).ToDType(dtype).RequireGrad();
        parameter.Grad = Tensor.FromArray(gradient, gradient.Length).ToDType(dtype);
        return parameter;
    }

    private static double Norm(IEnumerable<Tensor> parameters) =>
        Math.Sqrt(parameters.Where(p => p.Grad is not null).Sum(p => p.Grad!.ToDoubleArray().Sum(g => g * g)));

    [Fact]
    public void ClipGradNorm_ReturnsTheJointNormAndScalesToMaxNorm()
    {
        // Gradients [3, 4] and [12]: √(9 + 16 + 144) = 13; c = 6.5/(13 + 1e-6), so the clipped norm is 6.5·13/(13 + 1e-6).
        Tensor[] parameters = [WithGradient([3, 4]), WithGradient([12]), Tensor.Zeros(2).RequireGrad()];
        double total = GradientClipping.ClipGradNorm(parameters, maxNorm: 6.5);
        Assert.Equal(13, total, 1e-14);
        Assert.Equal(6.5, Norm(parameters), 1e-6);
        double c = 6.5 / (13 + 1e-6);
        Assert.Equal([3 * c, 4 * c], parameters[0].Grad!.ToDoubleArray(), new WorkedExamples.Tolerance(1e-15));
        Assert.Null(parameters[2].Grad);
    }

    [Fact]
    public void ClipGradNorm_LeavesSmallGradientsAlone()
    {
        Tensor[] parameters = [WithGradient([0.3, -0.4], DType.Float32)];
        Assert.Equal(0.5, GradientClipping.ClipGradNorm(parameters, maxNorm: 1), 1e-7);
        Assert.Equal([0.3f, -0.4f], parameters[0].Grad!.ToFloatArray());
    }

    [Fact]
    public void ClipGradNorm_InfinityAndOneNorms()
    {
        // ∞-norm of [3, −4] and [12] is 12; c = 6/(12 + 1e-6) ≈ ½. 1-norm of [1, −2] is 3.
        Tensor[] parameters = [WithGradient([3, -4]), WithGradient([12])];
        Assert.Equal(12, GradientClipping.ClipGradNorm(parameters, 6, double.PositiveInfinity));
        Assert.Equal(6, parameters[1].Grad!.Item(), 1e-6);
        Tensor[] other = [WithGradient([1, -2])];
        Assert.Equal(3, GradientClipping.ClipGradNorm(other, 1.5, normType: 1), 1e-15);
        Assert.Equal([0.5, -1], other[0].Grad!.ToDoubleArray(), new WorkedExamples.Tolerance(1e-6));
    }

    [Fact]
    public void ClipGradNorm_NonFiniteNorm_ThrowsWhenAskedElsePropagatesAsPyTorch()
    {
        Tensor[] parameters = [WithGradient([1, double.NaN])];
        var error = Assert.Throws<InvalidOperationException>(() => GradientClipping.ClipGradNorm(parameters, 1, errorIfNonfinite: true));
        Assert.Contains("total gradient norm of order 2 is NaN", error.Message);
        Assert.Equal(1, parameters[0].Grad![0]);
        Assert.True(double.IsNaN(GradientClipping.ClipGradNorm(parameters, 1)));
        Assert.True(double.IsNaN(parameters[0].Grad![0]));
    }

    [Fact]
    public void ClipGradValue_ClampsEachElement()
    {
        Tensor[] parameters = [WithGradient([-3, 0.2, 5]), WithGradient([-0.5], DType.Float32)];
        GradientClipping.ClipGradValue(parameters, 0.4);
        Assert.Equal([-0.4, 0.2, 0.4], parameters[0].Grad!.ToDoubleArray());
        Assert.Equal([-0.4f], parameters[1].Grad!.ToFloatArray());
    }

    [Fact]
    public void BadArguments_AreRejectedWithTheValue()
    {
        Tensor[] parameters = [WithGradient([1])];
        Assert.Contains("maxNorm must be ≥ 0, got -1", Assert.Throws<ArgumentOutOfRangeException>(() => GradientClipping.ClipGradNorm(parameters, -1)).Message);
        Assert.Contains("normType must be > 0 or +∞, got 0", Assert.Throws<ArgumentOutOfRangeException>(() => GradientClipping.ClipGradNorm(parameters, 1, 0)).Message);
        Assert.Contains("clipValue must be a finite number ≥ 0, got -0.5", Assert.Throws<ArgumentOutOfRangeException>(() => GradientClipping.ClipGradValue(parameters, -0.5)).Message);
    }
}
