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
        const int SourceRows = 301;
        var random = new Random(width * 1000 + count);
        float[] source = new float[SourceRows * width];
        double[] source64 = new double[SourceRows * width];
        for (int i = 0; i < source.Length; i++) source64[i] = source[i] = random.Next(-1000, 1000) / 8f;
        int[] rows = new int[count];
        for (int i = 0; i < count; i++) rows[i] = i % 7 == 3 ? rows[i / 2] : random.Next(SourceRows);

        foreach (int threads in new[] { 1, 2 })
        {
            float[] target = new float[count * width + 5];
            double[] target64 = new double[count * width + 5];
            ThreadCount.With(threads, () =>
            {
                RowGather.Copy(source, width, rows, target, cost: (long)count * width * 4);
                RowGather.Copy(source64, width, rows, target64, cost: (long)count * width * 4);
                return 0;
            });
            for (int i = 0; i < count; i++)
            {
                for (int j = 0; j < width; j++)
                {
                    Assert.Equal(source[(rows[i] * width) + j], target[(i * width) + j]);
                    Assert.Equal(source64[(rows[i] * width) + j], target64[(i * width) + j]);
                }
            }

            // Nothing past the last row is written.
            Assert.All(target.AsSpan(count * width).ToArray(), value => Assert.Equal(0f, value));
            Assert.All(target64.AsSpan(count * width).ToArray(), value => Assert.Equal(0.0, value));
        }
    }
}
