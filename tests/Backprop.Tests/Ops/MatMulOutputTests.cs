namespace Backprop.Tests.Ops;

/// <summary>MatMul into a caller's output tensor (PyTorch's out=): same values, clear errors, no autograd.</summary>
public sealed class MatMulOutputTests
{
    [Fact]
    public void IntoAnOutput_GivesTheTextbookProduct_AndReturnsTheOutput()
    {
        // [[1, 2, 3], [4, 5, 6]] · [[7, 8], [9, 10], [11, 12]] = [[58, 64], [139, 154]], by hand.
        var a = Tensor.FromArray(new[] { 1.0, 2, 3, 4, 5, 6 }, 2, 3);
        var b = Tensor.FromArray(new[] { 7.0, 8, 9, 10, 11, 12 }, 3, 2);
        var output = Tensor.FromArray(new[] { -1.0, -1, -1, -1 }, 2, 2);
        Assert.Same(output, a.MatMul(b, output));
        Assert.Equal([58.0, 64, 139, 154], output.ToDoubleArray());
    }

    [Fact]
    public void IntoAnOutput_IsBitIdenticalToTheAllocatingProduct_AtAPackedSize()
    {
        var a = Tensor.RandomNormal([131, 257], seed: 1);
        var b = Tensor.RandomNormal([257, 97], seed: 2);
        var output = Tensor.Zeros(131, 97);
        using (Tensor.NoGrad()) a.MatMul(b, output);
        Assert.Equal(a.MatMul(b).ToFloatArray(), output.ToFloatArray());
    }

    [Fact]
    public void AnOutputOfTheWrongShape_IsRejectedNamingTheShapes()
    {
        var a = Tensor.Zeros(2, 3);
        var error = Assert.Throws<ArgumentException>(() => a.MatMul(Tensor.Zeros(3, 4), Tensor.Zeros(2, 5)));
        Assert.Contains("[2, 5]", error.Message);
        Assert.Contains("[2, 4]", error.Message);
    }

    [Fact]
    public void AnOutputSharingAnOperandsStorage_IsRejected()
    {
        var a = Tensor.Zeros(3, 3);
        var error = Assert.Throws<ArgumentException>(() => a.MatMul(Tensor.Zeros(3, 3), a));
        Assert.Contains("shares storage", error.Message);
    }

    [Fact]
    public void OperandsThatRequireGradients_AreRefusedWhileRecording_AndAcceptedUnderNoGrad()
    {
        var a = Tensor.Zeros(2, 2).RequireGrad();
        var error = Assert.Throws<InvalidOperationException>(() => a.MatMul(Tensor.Zeros(2, 2), Tensor.Zeros(2, 2)));
        Assert.Contains("NoGrad", error.Message);
        using (Tensor.NoGrad()) Assert.False(a.MatMul(Tensor.Zeros(2, 2), Tensor.Zeros(2, 2)).RequiresGrad);
    }
}
