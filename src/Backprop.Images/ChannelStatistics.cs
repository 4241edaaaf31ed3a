namespace Backprop.Images;

/// <summary>Per-channel mean and population standard deviation of pixels scaled to [0, 1], summed in double precision.</summary>
internal sealed class ChannelStatistics(int channels)
{
    private readonly double[] _sum = new double[channels];
    private readonly double[] _sumOfSquares = new double[channels];
    private long _pixels;

    /// <summary>One image's per-channel sums of values and of squares (0–255), [sum c0, sum c1, …, squares c0, …].</summary>
    public static double[] Sums(byte[] image, int channels)
    {
        var sums = new double[2 * channels];
        for (int i = 0; i < image.Length; i++)
        {
            int c = i % channels;
            double value = image[i];
            sums[c] += value;
            sums[channels + c] += value * value;
        }
        return sums;
    }

    public void Add(double[] sums, int pixelsPerChannel)
    {
        for (int c = 0; c < channels; c++)
        {
            _sum[c] += sums[c];
            _sumOfSquares[c] += sums[channels + c];
        }
        _pixels += pixelsPerChannel;
    }

    public float[] Mean() => [.. Enumerable.Range(0, channels).Select(c => (float)(_sum[c] / _pixels / 255))];

    public float[] StandardDeviation() => [.. Enumerable.Range(0, channels).Select(c =>
    {
        double mean = _sum[c] / _pixels;
        return (float)(Math.Sqrt(Math.Max(0, _sumOfSquares[c] / _pixels - mean * mean)) / 255);
    })];
}
