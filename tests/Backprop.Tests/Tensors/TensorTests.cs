namespace Backprop.Tests.Tensors;

public class TensorTests
{
    [Fact]
    public void FromArray_OfFloats_IsFloat32_AndOfDoubles_IsFloat64()
    {
        Assert.Equal(DType.Float32, Tensor.FromArray(new float[] { 1, 2 }, 2).DType);
        var t = Tensor.FromArray(new double[] { 1, 2, 3, 4, 5, 6 }, 2, 3);
        Assert.Equal(DType.Float64, t.DType);
        Assert.Equal([2, 3], t.Shape);
        Assert.Equal(6.0, t[1, 2]);
    }

    [Fact]
    public void FromArray_WithAShapeThatDoesNotFit_NamesCountAndShape()
    {
        var error = Assert.Throws<ArgumentException>(() => Tensor.FromArray(new float[] { 1, 2, 3 }, 2, 2));
        Assert.Contains("3 values", error.Message);
        Assert.Contains("[2, 2]", error.Message);
    }

    [Fact]
    public void FromArray_CopiesItsInput()
    {
        var values = new double[] { 1, 2 };
        var t = Tensor.FromArray(values, 2);
        values[0] = 99;
        Assert.Equal(1.0, t[0]);
    }

    [Fact]
    public void Creation_ZerosOnesFull()
    {
        Assert.All(Tensor.Zeros(2, 3).ToFloatArray(), v => Assert.Equal(0f, v));
        Assert.All(Tensor.Ones(DType.Float64, 4).ToDoubleArray(), v => Assert.Equal(1.0, v));
        Assert.Equal(2.5, Tensor.Full(2.5, DType.Float64, 1, 1).Item());
    }

    [Fact]
    public void RandomTensors_AreDeterministicForASeed_AndHaveTheRequestedMoments()
    {
        var a = Tensor.RandomNormal([10000], seed: 7, mean: 1, std: 2, dtype: DType.Float64).ToDoubleArray();
        Assert.Equal(a, Tensor.RandomNormal([10000], seed: 7, mean: 1, std: 2, dtype: DType.Float64).ToDoubleArray());
        Assert.NotEqual(a, Tensor.RandomNormal([10000], seed: 8, mean: 1, std: 2, dtype: DType.Float64).ToDoubleArray());
        double mean = a.Average(), std = Math.Sqrt(a.Select(v => (v - mean) * (v - mean)).Average());
        Assert.InRange(mean, 0.94, 1.06); // 3 standard errors of the mean: 3·2/√10000
        Assert.InRange(std, 1.94, 2.06);
        var u = Tensor.RandomUniform([1000], seed: 3, low: -2, high: 5).ToFloatArray();
        Assert.All(u, v => Assert.InRange(v, -2f, 5f));
    }

    [Fact]
    public void Creation_WithANullShapeOrTensor_ThrowsArgumentNullNamingIt()
    {
        Assert.Equal("shape", Assert.Throws<ArgumentNullException>(() => Tensor.RandomNormal(null!, seed: 1)).ParamName);
        Assert.Equal("shape", Assert.Throws<ArgumentNullException>(() => Tensor.RandomUniform(null!, seed: 1)).ParamName);
        Assert.Equal("like", Assert.Throws<ArgumentNullException>(() => Tensor.ZerosLike(null!)).ParamName);
    }

    [Fact]
    public void Item_OfSeveralElements_Throws() =>
        Assert.Contains("[2]", Assert.Throws<InvalidOperationException>(() => Tensor.Zeros(2).Item()).Message);

    [Fact]
    public void CopyFrom_ConvertsDType_AndChecksShape()
    {
        var target = Tensor.Zeros(2);
        target.CopyFrom(Tensor.FromArray(new[] { 0.5, 1.5 }, 2));
        Assert.Equal([0.5f, 1.5f], target.ToFloatArray());
        Assert.Throws<ArgumentException>(() => target.CopyFrom(Tensor.Zeros(3)));
    }

    [Fact]
    public void Arithmetic_BroadcastsABiasRowOverABatch()
    {
        var batch = Tensor.FromArray(new[] { 1.0, 2, 3, 4, 5, 6 }, 2, 3);
        var bias = Tensor.FromArray(new[] { 10.0, 20, 30 }, 3);
        Assert.Equal([11.0, 22, 33, 14, 25, 36], (batch + bias).ToDoubleArray());
        Assert.Equal([10.0, 40, 90, 40, 100, 180], (batch * bias).ToDoubleArray());
    }

    [Fact]
    public void Arithmetic_WithIncompatibleShapes_NamesBothShapes()
    {
        var error = Assert.Throws<ArgumentException>(() => Tensor.Zeros(2, 3) + Tensor.Zeros(2));
        Assert.Contains("[2, 3]", error.Message);
        Assert.Contains("[2]", error.Message);
    }

    [Fact]
    public void Arithmetic_WithDifferentDTypes_SaysSo() =>
        Assert.Contains("Float64", Assert.Throws<ArgumentException>(() => Tensor.Zeros(2) + Tensor.Zeros(DType.Float64, 2)).Message);

    [Fact]
    public void MatMul_MultipliesMatrices_AndRejectsMismatchedInnerSizes()
    {
        var a = Tensor.FromArray(new[] { 1.0, 2, 3, 4, 5, 6 }, 2, 3);
        var b = Tensor.FromArray(new[] { 7.0, 8, 9, 10, 11, 12 }, 3, 2);
        Assert.Equal([58.0, 64, 139, 154], a.MatMul(b).ToDoubleArray()); // by hand: [1 2 3]·[7 9 11] = 58, …
        var error = Assert.Throws<ArgumentException>(() => a.MatMul(a));
        Assert.Contains("[2, 3] and [2, 3]", error.Message);
    }

    [Fact]
    public void ShapeOps_TransposeReshapeSumMean()
    {
        var a = Tensor.FromArray(new[] { 1.0, 2, 3, 4, 5, 6 }, 2, 3);
        Assert.Equal([1.0, 4, 2, 5, 3, 6], a.Transpose().ToDoubleArray());
        Assert.Equal([3, 2], a.Reshape(-1, 2).Shape);
        Assert.Throws<ArgumentException>(() => a.Reshape(4, 2));
        Assert.Equal(21.0, a.Sum().Item());
        Assert.Equal(3.5, a.Mean().Item());
        Assert.Equal([5.0, 7, 9], a.Sum(0).ToDoubleArray());
        Assert.Equal([2.0, 5], a.Mean(1).ToDoubleArray());
        Assert.Equal([2, 1], a.Sum(1, keepDims: true).Shape);
        Assert.Throws<ArgumentOutOfRangeException>(() => a.Sum(2));
    }

    [Fact]
    public void SigmoidAndSoftmax_AreStableAtPlusMinus1000()
    {
        var x = Tensor.FromArray(new float[] { -1000, 0, 1000 }, 1, 3);
        Assert.Equal([0f, 0.5f, 1f], x.Sigmoid().ToFloatArray());
        Assert.Equal([0f, 0f, 1f], x.Softmax().ToFloatArray());
        var logSoftmax = x.LogSoftmax().ToFloatArray();
        Assert.All(logSoftmax, v => Assert.True(float.IsFinite(v)));
        Assert.Equal(-2000f, logSoftmax[0]);
        var x64 = Tensor.FromArray(new double[] { -1000, 1000 }, 2);
        Assert.All(x64.Sigmoid().ToDoubleArray(), v => Assert.True(double.IsFinite(v)));
    }

    [Fact]
    public void Activations_HaveTheirTextbookValues()
    {
        var x = Tensor.FromArray(new[] { -1.0, 0.5 }, 2);
        Assert.Equal([0.0, 0.5], x.Relu().ToDoubleArray());
        Assert.Equal([-0.01, 0.5], x.LeakyRelu().ToDoubleArray());
        Assert.Equal(Math.Exp(-1) - 1, x.Elu()[0], 15);
        Assert.Equal(Math.Tanh(0.5), x.Tanh()[1], 15);
        // GELU(0.5) = 0.5·Φ(0.5); Φ(0.5) = 0.691462461274013 (standard normal table).
        Assert.Equal(0.5 * 0.691462461274013, x.Gelu()[1], 14);
        // GELU(−1) = −Φ(−1) = −0.158655253931457.
        Assert.Equal(-0.158655253931457, x.Gelu()[0], 14);
    }

    [Fact]
    public void JoiningOps_PlaceValuesWhereExpected()
    {
        var a = Tensor.FromArray(new[] { 1.0, 2, 3, 4, 5, 6 }, 2, 3);
        Assert.Equal([2.0, 3, 5, 6], a.Narrow(1, 1, 2).ToDoubleArray());
        Assert.Equal([4.0, 5, 6], a.Select(0, 1).ToDoubleArray());
        Assert.Equal([1.0, 2, 3, 4, 5, 6, 1, 2, 3, 4, 5, 6], Tensor.Concat([a, a], 0).ToDoubleArray());
        Assert.Equal([1.0, 2, 3, 1, 2, 3, 4, 5, 6, 4, 5, 6], Tensor.Concat([a, a], 1).ToDoubleArray());
        Assert.Equal([2, 2, 3], Tensor.Stack([a, a]).Shape);
        Assert.Equal([4.0, 5, 6, 1, 2, 3, 4, 5, 6], a.IndexSelect([1, 0, 1]).ToDoubleArray());
        Assert.Equal([1.0, 4, 2, 5, 3, 6], a.Permute(1, 0).ToDoubleArray());
        Assert.Throws<ArgumentOutOfRangeException>(() => a.Narrow(1, 2, 2));
        Assert.Throws<ArgumentException>(() => Tensor.Concat([a, Tensor.Zeros(DType.Float64, 3, 3)], 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => a.IndexSelect([2]));
    }

    [Fact]
    public void Clamp_LimitsToTheRange_AndRejectsAnEmptyRange()
    {
        // By definition: values below −0.5 become −0.5, above 0.5 become 0.5, the rest pass.
        Assert.Equal([-0.5, 0.2, 0.5], Tensor.FromArray(new[] { -1.0, 0.2, 3.0 }, 3).Clamp(-0.5, 0.5).ToDoubleArray());
        Assert.Equal([-0.5f, 0.2f, 0.5f], Tensor.FromArray(new[] { -1f, 0.2f, 3f }, 3).Clamp(-0.5, 0.5).ToFloatArray());
        Assert.Contains("max must be ≥ min", Assert.Throws<ArgumentOutOfRangeException>(() => Tensor.Zeros(2).Clamp(1, 0)).Message);
    }
}
