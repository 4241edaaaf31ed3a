using System.Globalization;

namespace Backprop.Data;

/// <summary>Maps label text to class indices 0..k−1, and back through <see cref="Names"/>.</summary>
internal sealed class ClassMap
{
    private readonly Dictionary<string, int> _indices;
    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _lookup;

    public ClassMap(IReadOnlyList<string> names)
    {
        Names = [.. names];
        _indices = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < Names.Length; i++) _indices[Names[i]] = i;
        _lookup = _indices.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    public string[] Names { get; }

    /// <summary>
    /// Orders distinct labels: by value when all are integers, so that labels already 0..k−1 keep
    /// their values and "10" comes after "9"; otherwise by ordinal string order, which does not
    /// depend on the machine's culture.
    /// </summary>
    public static ClassMap FromDistinct(IEnumerable<string> labels)
    {
        var distinct = labels.ToArray();
        bool allIntegers = distinct.All(label => long.TryParse(label, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _));
        var ordered = allIntegers
            ? distinct.OrderBy(label => long.Parse(label, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture)).ThenBy(label => label, StringComparer.Ordinal)
            : distinct.Order(StringComparer.Ordinal);
        return new ClassMap([.. ordered]);
    }

    public bool TryGetIndex(ReadOnlySpan<char> label, out int index) => _lookup.TryGetValue(label, out index);
}
