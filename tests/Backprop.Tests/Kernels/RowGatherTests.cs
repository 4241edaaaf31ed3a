using Backprop.Kernels;

namespace Backprop.Tests.Kernels;

[Collection("Threads")]
public sealed class RowGatherTests
{
    [Theory]
    [InlineData(1, 1)]
    [InlineData(3, 5)]
    [InlineData(16, 8)]
    [InlineData(17, 9)]
    [InlineData(784, 64)]
    [InlineData(785, 67)]
    [InlineData(33, 2000)]
    public void Copy_PutsEachPickedRowInPlace_ForAnyWidthAndCountAndThreads(int width, int count)
    {
        // Widths that are and are not whole cache lines (16 floats, 8 doubles), counts that fill and leave partial
        // groups of eight rows, repeated rows, and enough rows at the end for the copy to go to the workers.
        const int SourceRows = 301, SourceOffset = 5, TargetOffset = 3;
        var random = new Random(width * 1000 + count);
        float[] source = new float[SourceRows * width];
        double[] source64 = new double[SourceRows * width];
        for (int i = 0; i < source.Length; i++) source64[i] = source[i] = random.Next(-1000, 1000) / 8f;
        int[] rows = new int[count];
        for (int i = 0; i < count; i++) rows[i] = i % 7 == 3 ? rows[i / 2] : random.Next(SourceRows);

        foreach (int threads in new[] { 1, 2 })
        {
            float[] target = new float[count * width + TargetOffset + 5];
            double[] target64 = new double[count * width + 5];
            ThreadCount.With(threads, () =>
            {
                // The float copy reads from a source and writes to a target that start a few elements into their arrays,
                // as a tensor whose storage was moved onto a cache line does.
                var shifted = new float[source.Length + SourceOffset];
                source.CopyTo(shifted, SourceOffset);
                RowGather.Copy(new ArraySegment<float>(shifted, SourceOffset, source.Length), width, rows, new ArraySegment<float>(target, TargetOffset, count * width), cost: (long)count * width * 4);
                RowGather.Copy<double>(source64, width, rows, target64, cost: (long)count * width * 4);
                return 0;
            });
            for (int i = 0; i < count; i++)
            {
                for (int j = 0; j < width; j++)
                {
                    Assert.Equal(source[(rows[i] * width) + j], target[TargetOffset + (i * width) + j]);
                    Assert.Equal(source64[(rows[i] * width) + j], target64[(i * width) + j]);
                }
            }

            // Nothing past the last row is written.
            Assert.All(target.AsSpan(0, TargetOffset).ToArray(), value => Assert.Equal(0f, value));
            Assert.All(target.AsSpan(TargetOffset + (count * width)).ToArray(), value => Assert.Equal(0f, value));
            Assert.All(target64.AsSpan(count * width).ToArray(), value => Assert.Equal(0.0, value));
        }
    }
}
