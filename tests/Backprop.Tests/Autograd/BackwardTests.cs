using Backprop.Autograd;

namespace Backprop.Tests.Autograd;

public class BackwardTests
{
    [Fact]
    public void Backward_OfParameterUsedTwice_SumsBothPaths()
    {
        // f = x·x + 3x has f′ = 2x + 3: both uses of x contribute.
        var x = Tensor.FromArray(new[] { 2.0, -1.0 }, 2).RequireGrad();
        (x * x + x * 3.0).Sum().Backward();
        Assert.Equal([7.0, 1.0], x.Grad!.ToDoubleArray());
    }

    [Fact]
    public void Backward_OfIntermediateUsedTwice_RunsItsRuleOnceWithBothContributions()
    {
        // y = x², z = y² + y: ∂z/∂y = 2y + 1, so ∂z/∂x = (2x² + 1)·2x, 114 at x = 3 and −6 at x = −1. The sort must
        // place y after both of its consumers; run twice, so the second sort's marks differ from the first's.
        foreach (var _ in new[] { 1, 2 })
        {
            var x = Tensor.FromArray(new[] { 3.0, -1.0 }, 2).RequireGrad();
            var y = x * x;
            (y * y + y).Sum().Backward();
            Assert.Equal([114.0, -6.0], x.Grad!.ToDoubleArray());
        }
    }

    [Fact]
    public void Backward_OfTwoLossesSharingAParameter_AccumulatesLikePyTorch()
    {
        var w = Tensor.FromArray(new[] { 3.0 }, 1).RequireGrad();
        (w * 2.0).Sum().Backward();   // ∂/∂w = 2
        (w * w).Sum().Backward();     // ∂/∂w = 2w = 6
        Assert.Equal(8.0, w.Grad!.Item());
    }

    [Fact]
    public void SecondBackward_ThroughAFreedGraph_FailsWithAClearMessage()
    {
        var x = Tensor.FromArray(new[] { 1.0 }, 1).RequireGrad();
        var loss = (x.Exp() * 2.0).Sum();
        loss.Backward();
        var error = Assert.Throws<InvalidOperationException>(() => loss.Backward());
        Assert.Contains("retainGraph", error.Message);
    }

    [Fact]
    public void SecondBackward_WithRetainedGraph_AccumulatesAgain()
    {
        var x = Tensor.FromArray(new[] { 0.5 }, 1).RequireGrad();
        var loss = x.Exp().Sum();
        loss.Backward(retainGraph: true);
        loss.Backward();
        Assert.Equal(2 * Math.Exp(0.5), x.Grad!.Item(), 14);
    }

    [Fact]
    public void NoGrad_RecordsNothing()
    {
        var x = Tensor.FromArray(new[] { 1.0 }, 1).RequireGrad();
        Tensor y;
        using (Tensor.NoGrad()) y = x * 2.0;
        Assert.False(y.RequiresGrad);
        Assert.True(Tensor.IsGradEnabled);
        Assert.True((x * 2.0).RequiresGrad);
    }

    [Fact]
    public void Detach_StopsTheGradient()
    {
        var x = Tensor.FromArray(new[] { 3.0 }, 1).RequireGrad();
        (x * x.Detach()).Sum().Backward();   // only the first factor carries gradient: ∂/∂x = x = 3
        Assert.Equal(3.0, x.Grad!.Item());
    }

    [Fact]
    public void RetainGrad_KeepsAnIntermediateGradient()
    {
        var x = Tensor.FromArray(new[] { 2.0 }, 1).RequireGrad();
        var y = (x * 3.0).RetainGrad();
        (y * y).Sum().Backward();          // ∂/∂y = 2y = 12
        Assert.Equal(12.0, y.Grad!.Item());
        Assert.Equal(36.0, x.Grad!.Item());
    }

    [Fact]
    public void Backward_OfNonScalarWithoutGradient_ExplainsWhatToDo()
    {
        var x = Tensor.Ones(DType.Float64, 2, 3).RequireGrad();
        var error = Assert.Throws<InvalidOperationException>(() => (x * 2.0).Backward());
        Assert.Contains("[2, 3]", error.Message);
    }

    [Fact]
    public void Backward_OfDeepChain_DoesNotOverflowTheStack()
    {
        var x = Tensor.FromArray(new[] { 1.0 }, 1).RequireGrad();
        var y = x;
        for (int i = 0; i < 20000; i++) y = y * 1.0;
        y.Sum().Backward();
        Assert.Equal(1.0, x.Grad!.Item());
    }

    [Fact]
    public void GradCheck_ReportsAWrongGradient()
    {
        // A deliberately wrong rule: Detach hides the second factor, so the analytic gradient of x·x is x, not 2x.
        var x = Tensor.FromArray(new[] { 1.5, -0.7 }, 2);
        var result = GradCheck.Run(inputs => inputs[0] * inputs[0].Detach(), x);
        Assert.False(result.Passed(1e-6));
        Assert.InRange(result.MaxRelativeError, 0.4, 0.6);
    }
}
