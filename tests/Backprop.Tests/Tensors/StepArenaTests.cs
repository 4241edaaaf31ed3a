using System.Runtime.CompilerServices;
using Backprop.Tensors;

namespace Backprop.Tests.Tensors;

public sealed class StepArenaTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(53)]
    [InlineData(64 * 784)]
    public void TensorsOfAStep_StartOnACacheLine_AndZeroedOnesAreZero_InRecycledStorage(int length)
    {
        var arena = new StepArena();
        for (int step = 0; step < 3; step++)
        {
            using (arena.Begin())
            {
                var single = Tensor.Zeroed(DType.Float32, [length]);
                var wide = Tensor.Zeroed(DType.Float64, [length]);
                Assert.Equal(0, AddressOf(ref single.Span<float>()[0]) % 64);
                Assert.Equal(0, AddressOf(ref wide.Span<double>()[0]) % 64);
                // Recycled storage held the last step's values: zeroed means zeroed again.
                Assert.All(single.ToFloatArray(), value => Assert.Equal(0f, value));
                Assert.All(wide.ToDoubleArray(), value => Assert.Equal(0d, value));
                single.Span<float>().Fill(step + 1);
                wide.Span<double>().Fill(step + 1);

                var uninitialized = Tensor.Uninitialized(DType.Float32, [length]);
                Assert.Equal(0, AddressOf(ref uninitialized.Span<float>()[0]) % 64);
                Assert.Equal(length, uninitialized.Length);
            }
        }
    }

    [Fact]
    public void NextStep_ReusesTheStorage_OfTheSameLength()
    {
        var arena = new StepArena();
        Array first, second;
        using (arena.Begin()) first = Tensor.Uninitialized(DType.Float32, [5, 9]).Storage;
        using (arena.Begin()) second = Tensor.Uninitialized(DType.Float32, [9, 5]).Storage;
        Assert.Same(first, second);
        Assert.True(arena.PooledBytes > 0);
    }

    [Fact]
    public void Indices_StartAtIndexZero_OfAnArrayOfTheirLength()
    {
        var arena = new StepArena();
        using (arena.Begin())
        {
            int[] indices = arena.RentIndices(13);
            Assert.Equal(13, indices.Length);
            Assert.True(arena.Lends(indices));
        }
    }

    private static long AddressOf<T>(ref T value) => Unsafe.ByteOffset(ref Unsafe.NullRef<byte>(), ref Unsafe.As<T, byte>(ref value));
}
