using System.Runtime.CompilerServices;
using Backprop.NN;
using Backprop.Optimizers;

namespace Backprop.Tests.Tensors;

[Collection("Threads")]
public sealed class AlignedStorageTests
{
    [Fact]
    public void AlignStorage_KeepsTheValues_AndPutsTheFirstOnACacheLine()
    {
        float[] values = [.. Enumerable.Range(0, 53).Select(i => i / 7f)];
        double[] wide = [.. values.Select(v => (double)v)];
        var single = Tensor.FromArray(values, 53);
        var twice = Tensor.FromArray(wide, 53);
        single.AlignStorage();
        twice.AlignStorage();
        Assert.Equal(values, single.ToFloatArray());
        Assert.Equal(wide, twice.ToDoubleArray());
        Assert.Equal(0, Address(single) % 64);
        Assert.Equal(0, AddressOf(ref twice.Span<double>()[0]) % 64);
    }

    [Fact]
    public void RegisteredParameters_AndTheirGradients_StartOnACacheLine()
    {
        var layer = new Dense(37, 29, seed: 4);
        foreach (var parameter in layer.Parameters())
        {
            Assert.Equal(0, Address(parameter) % 64);
        }

        var x = Tensor.RandomUniform([5, 37], seed: 2);
        layer.Forward(x).Sum().Backward();
        foreach (var parameter in layer.Parameters())
        {
            Assert.Equal(0, Address(parameter.Grad!) % 64);
        }
    }

    [Fact]
    public void ViewOfAParameter_SharesItsMovedValues()
    {
        var layer = new Dense(6, 4, seed: 1);
        var flat = layer.Weight.Reshape(24);
        Assert.Equal(layer.Weight.ToFloatArray(), flat.ToFloatArray());
        Assert.Equal(layer.Weight[2, 5], flat[17]);
        flat.CopyFrom(Enumerable.Range(0, 24).Select(i => (float)i).ToArray());
        Assert.Equal(17.0, layer.Weight[2, 5]);
    }

    [Fact]
    public void AlignStorage_LeavesATensorWithViews_AndOneAlreadyMoved_Where_TheyAre()
    {
        // A view shares its tensor's storage; moving the tensor would part them. Registering a tensor twice (tied
        // weights) moves it once.
        var weight = Tensor.FromArray(new float[] { 1, 2, 3, 4, 5, 6 }, 2, 3);
        var flat = weight.Reshape(6);
        weight.AlignStorage();
        flat.CopyFrom([10f, 20f, 30f, 40f, 50f, 60f]);
        Assert.Equal(60.0, weight[1, 2]);

        var tied = Tensor.FromArray(new float[] { 1, 2, 3 }, 3);
        tied.AlignStorage();
        long moved = Address(tied);
        tied.AlignStorage();
        Assert.Equal(moved, Address(tied));
    }

    [Fact]
    public void ParametersOfEveryKindOfLayer_StartOnACacheLine()
    {
        Module[] layers =
        [
            new Dense(5, 3, seed: 1), new Conv2d(2, 3, 3, seed: 1), new Embedding(7, 4, seed: 1), new Lstm(3, 5, seed: 1),
            new BatchNorm1d(4), new LayerNorm([4]),
        ];
        foreach (var layer in layers)
        {
            foreach (var (name, parameter) in layer.NamedParameters()) Assert.True(Address(parameter) % 64 == 0, $"{layer.GetType().Name}.{name}");
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void PlainSgd_OnAParameterLargeEnoughForTheWorkers_UpdatesEveryElementAsThetaMinusRateTimesGradient(int threads)
    {
        // 300 × 300 weights: more than the 2^16 elements from which the update runs in ranges on the workers, each
        // range read through the parameter's and the gradient's offsets into their moved storage.
        var layer = new Dense(300, 300, seed: 3, bias: false);
        var x = Tensor.RandomUniform([7, 300], seed: 5);
        layer.Forward(x).Sum().Backward();
        float[] theta = layer.Weight.ToFloatArray(), g = layer.Weight.Grad!.ToFloatArray();
        const float Rate = 0.25f;
        ThreadCount.With(threads, () =>
        {
            new Sgd(layer.Parameters(), Rate).Step();
            return 0;
        });
        float[] updated = layer.Weight.ToFloatArray();
        for (int i = 0; i < theta.Length; i++) Assert.Equal((g[i] * -Rate) + theta[i], updated[i]);
    }

    private static long Address(Tensor tensor) => AddressOf(ref tensor.Span<float>()[0]);

    /// <summary>The address of <paramref name="value"/> (its storage is pinned, so it does not move).</summary>
    private static long AddressOf<T>(ref T value) => Unsafe.ByteOffset(ref Unsafe.NullRef<byte>(), ref Unsafe.As<T, byte>(ref value));
}
