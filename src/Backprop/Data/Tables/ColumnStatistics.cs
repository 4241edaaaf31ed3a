using System.Globalization;
using Backprop.IO;
using Backprop.Tensors;

namespace Backprop.Data;

/// <summary>
/// The statistics of one feature column over the training rows, gathered in one streamed pass in bounded memory, and the
/// <see cref="ColumnEncoding"/> they give.
/// </summary>
internal abstract class ColumnStatistics(string name)
{
    public string Name { get; } = name;

    public long Missing { get; protected set; }

    public abstract void Add(ReadOnlySpan<char> field, bool missing);

    public abstract ColumnEncoding Encoding(TableOptions options, long rows, List<string> notes);
}

/// <summary>
/// Sums for the mean and variance (shifted by the first value, so large offsets do not cancel), minimum and maximum, and
/// for the median a uniform sample of at most <see cref="SampleSize"/> values: exact up to that many rows, an estimate beyond.
/// </summary>
internal sealed class NumericStatistics(string name, int sampleSize, int seed) : ColumnStatistics(name)
{
    // Grown as values arrive, up to sampleSize: a short table does not pay for the largest sample.
    private float[] _sample = new float[Math.Min(sampleSize, 256)];
    private SplitMix64 _random = new(unchecked((ulong)seed));
    private long _count;
    private double _shift, _sum, _sumOfSquares;
    private float _min = float.PositiveInfinity, _max = float.NegativeInfinity;

    public int SampleSize => sampleSize;

    public override void Add(ReadOnlySpan<char> field, bool missing)
    {
        if (missing)
        {
            Missing++;
            return;
        }
        // The first pass has checked that every value of a numeric column is a finite float.
        CsvNumbers.Parse(field, out float value);
        if (_count == 0) _shift = value;
        double shifted = value - _shift;
        _sum += shifted;
        _sumOfSquares += shifted * shifted;
        _min = Math.Min(_min, value);
        _max = Math.Max(_max, value);
        if (_count < sampleSize)
        {
            if (_count == _sample.Length) Array.Resize(ref _sample, (int)Math.Min(sampleSize, 2L * _sample.Length));
            _sample[_count] = value;
        }
        else if ((long)(_random.NextDouble() * (_count + 1)) is var slot && slot < sampleSize)
        {
            _sample[slot] = value;
        }
        _count++;
    }

    public override ColumnEncoding Encoding(TableOptions options, long rows, List<string> notes)
    {
        float fill = Median();
        long total = _count + Missing;
        // Imputed cells count with the fill value, as scikit-learn scales after SimpleImputer.
        double fillShifted = fill - _shift;
        double mean = (_sum + Missing * fillShifted) / total;
        double variance = Math.Max(0, (_sumOfSquares + Missing * fillShifted * fillShifted) / total - mean * mean);
        float min = Missing > 0 ? Math.Min(_min, fill) : _min, max = Missing > 0 ? Math.Max(_max, fill) : _max;
        var (offset, scale) = options.Scaling switch
        {
            FeatureScaling.Standard => ((float)(mean + _shift), (float)Math.Sqrt(variance)),
            FeatureScaling.MinMax => (min, max - min),
            FeatureScaling.Unit => (0f, 255f),
            _ => (0f, 1f),
        };
        if (!(scale > 0) || !float.IsFinite(scale)) scale = 1;
        if (_count == 0) notes.Add($"column '{Quote.Short(Name)}' is missing in every training row: it is imputed with 0");
        return new NumericEncoding(Name, fill, float.IsFinite(offset) ? offset : 0, scale, options.MissingIndicators && Missing > 0);
    }

    private float Median()
    {
        int n = (int)Math.Min(_count, sampleSize);
        if (n == 0) return 0;
        var values = _sample.AsSpan(0, n);
        values.Sort();
        return n % 2 == 1 ? values[n / 2] : (float)((values[n / 2 - 1] + (double)values[n / 2]) / 2);
    }
}

/// <summary>
/// How often each value occurs, for at most <see cref="MaxTracked"/> distinct values (later new values are counted
/// together), which is enough to pick the most frequent ones.
/// </summary>
internal sealed class CategoricalStatistics(string name) : ColumnStatistics(name)
{
    public const int MaxTracked = 100_000;

    private readonly Dictionary<string, long> _counts = new(StringComparer.Ordinal);
    private long _untracked;

    public override void Add(ReadOnlySpan<char> field, bool missing)
    {
        if (missing)
        {
            Missing++;
            return;
        }
        var key = CategoricalEncoding.Key(field);
        var lookup = _counts.GetAlternateLookup<ReadOnlySpan<char>>();
        if (lookup.TryGetValue(key, out long count)) lookup[key] = count + 1;
        else if (_counts.Count < MaxTracked) _counts.Add(key.ToString(), 1);
        else _untracked++;
    }

    public override ColumnEncoding Encoding(TableOptions options, long rows, List<string> notes)
    {
        var ordered = _counts.OrderByDescending(pair => pair.Value).ThenBy(pair => pair.Key, StringComparer.Ordinal).Select(pair => pair.Key).ToArray();
        int kept = Math.Min(ordered.Length, options.MaxCategories - 1);
        if (ordered.Length > kept || _untracked > 0)
        {
            string distinct = _untracked > 0 ? $"more than {MaxTracked:N0}" : ordered.Length.ToString("N0", CultureInfo.InvariantCulture);
            string identifier = ordered.Length + _untracked > rows / 2 ? $"; it looks like an identifier: leave it out with --ignore '{Quote.Short(Name)}'" : "";
            notes.Add($"column '{Quote.Short(Name)}' has {distinct} distinct values: the {kept} most frequent get their own one-hot column, the rest share '{CategoricalEncoding.Other}'{identifier}");
        }
        string fill = ordered.Length > 0 ? ordered[0] : CategoricalEncoding.Other;
        return new CategoricalEncoding(Name, ordered[..kept], fill, options.MissingIndicators && Missing > 0);
    }
}
