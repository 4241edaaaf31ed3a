using Backprop.Kernels;

namespace Backprop.Tests.Kernels;

public class Im2ColStridedTests
{
    [Theory]
    [MemberData(nameof(PoolingTests.Geometries), MemberType = typeof(PoolingTests))]
    public void Im2ColStrided_WritesEachRowOfIm2ColAtItsStride_AndNothingBetween(WindowCase c)
    {
        var g = c.Geometry();
        int rows = c.Channels * g.KernelHeight * g.KernelWidth, plane = g.OutputPlaneSize, stride = plane + 5;
        double[] image = Im2ColTests.RandomArray(new Random(c.H + c.W), c.Channels * g.InputPlaneSize);
        var expected = new double[rows * plane];
        var strided = Enumerable.Repeat(-7.0, ((rows - 1) * stride) + plane).ToArray();

        Im2ColKernels.Im2Col<double>(image, c.Channels, g, expected);
        Im2ColKernels.Im2ColStrided<double>(image, c.Channels, g, strided, stride);

        for (int r = 0; r < rows; r++)
        {
            Assert.Equal(expected.AsSpan(r * plane, plane).ToArray(), strided.AsSpan(r * stride, plane).ToArray());
            if (r + 1 < rows)
            {
                Assert.All(strided.AsSpan((r * stride) + plane, stride - plane).ToArray(), value => Assert.Equal(-7.0, value));
            }
        }
    }
}
