namespace Backprop.Data;

/// <summary>Which cell texts mean "missing": the empty cell (after trimming) and the given markers, compared exactly.</summary>
internal sealed class MissingMarkers
{
    private readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> _markers;

    public MissingMarkers(IEnumerable<string> markers)
    {
        Markers = [.. markers.Select(marker => marker.Trim()).Where(marker => marker.Length > 0).Distinct(StringComparer.Ordinal)];
        _markers = new HashSet<string>(Markers, StringComparer.Ordinal).GetAlternateLookup<ReadOnlySpan<char>>();
    }

    public string[] Markers { get; }

    public bool IsMissing(ReadOnlySpan<char> field)
    {
        field = field.Trim();
        return field.IsEmpty || _markers.Contains(field);
    }
}
