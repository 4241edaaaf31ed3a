using Backprop.Kernels;

namespace Backprop.Tests.Kernels;

/// <summary>Average pooling (AveragePooling.cs): divisors, a naive window mean, and the backward pass as the adjoint of the forward.</summary>
public class AveragePoolingTests
{
    [Fact]
    public void AvgPoolForward_PaddedOnes_DividesByWindowOrByTapsInside()
    {
        var input = new double[9];
        Array.Fill(input, 1.0);
        var g = ConvGeometry.Create(3, 3, 3, 3, padH: 1, padW: 1);
        var included = new double[9];
        var excluded = new double[9];

        Pooling.AvgPoolForward<double>(input, 1, g, included);
        Pooling.AvgPoolForward<double>(input, 1, g, excluded, countIncludePad: false);

        // Worked by hand: corner windows cover 4 ones, edges 6, the centre 9; included padding divides all by 9.
        Assert.Equal([4 / 9.0, 6 / 9.0, 4 / 9.0, 6 / 9.0, 1, 6 / 9.0, 4 / 9.0, 6 / 9.0, 4 / 9.0], included);
        Assert.Equal(Enumerable.Repeat(1.0, 9), excluded);
    }

    [Theory]
    [MemberData(nameof(PoolingTests.Geometries), MemberType = typeof(PoolingTests))]
    public void AvgPoolForward_MatchesNaiveWindowMean(WindowCase c)
    {
        var g = c.Geometry();
        int planes = c.Channels, outputs = planes * g.OutputPlaneSize;
        double[] input = Im2ColTests.RandomArray(new Random(c.H * 17 + c.KernelW), planes * g.InputPlaneSize);

        foreach (bool countIncludePad in new[] { true, false })
        {
            var output = new double[outputs];
            Pooling.AvgPoolForward<double>(input, planes, g, output, countIncludePad);

            for (int p = 0, o = 0; p < planes; p++)
            {
                for (int oh = 0; oh < g.OutputHeight; oh++)
                {
                    for (int ow = 0; ow < g.OutputWidth; ow++, o++)
                    {
                        // Reference: PyTorch's avg_pool2d definition, zero padding, divisor kh·kw or the taps inside.
                        double sum = 0;
                        int inside = 0;
                        foreach (var (ih, iw) in PoolingTests.Taps(g, oh, ow).Where(t => PoolingTests.Inside(g, t.Row, t.Column)))
                        {
                            sum += input[p * g.InputPlaneSize + ih * g.InputWidth + iw];
                            inside++;
                        }

                        Assert.Equal(sum / (countIncludePad ? g.KernelHeight * g.KernelWidth : inside), output[o], 1e-14);
                    }
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(PoolingTests.Geometries), MemberType = typeof(PoolingTests))]
    public void AvgPoolBackward_IsTheAdjointOfForwardAndAccumulates(WindowCase c)
    {
        var g = c.Geometry();
        int planes = c.Channels, outputs = planes * g.OutputPlaneSize;
        var random = new Random(c.W * 19 + c.KernelH);
        double[] x = Im2ColTests.RandomArray(random, planes * g.InputPlaneSize);
        double[] y = Im2ColTests.RandomArray(random, outputs);
        double[] start = Im2ColTests.RandomArray(random, x.Length);

        foreach (bool countIncludePad in new[] { true, false })
        {
            var pooled = new double[outputs];
            var gradient = (double[])start.Clone();
            Pooling.AvgPoolForward<double>(x, planes, g, pooled, countIncludePad);
            Pooling.AvgPoolBackward<double>(y, planes, g, gradient, countIncludePad);

            // Reference: the gradient of a linear map is its adjoint, <A x, y> = <x, Aᵀ y>; Aᵀ y is what was added.
            double left = 0, right = 0;
            for (int k = 0; k < outputs; k++)
            {
                left += pooled[k] * y[k];
            }

            for (int k = 0; k < x.Length; k++)
            {
                right += x[k] * (gradient[k] - start[k]);
            }

            Assert.Equal(left, right, 1e-12);
        }
    }
}
