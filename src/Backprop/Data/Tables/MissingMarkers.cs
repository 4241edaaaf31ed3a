namespace Backprop.Data;

/// <summary>Which cell texts mean "missing": the empty cell (after trimming) and the given markers, compared exactly.</summary>
internal sealed class MissingMarkers
{
    private readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> _markers;

    public MissingMarkers(IEnumerable<string> markers)
    {
        Markers = [.. markers.Select(marker => marker.Trim()).Where(marker => marker.Length > 0).Distinct(StringComparer.Ordinal)];
        _markers = new HashSet<string>(Markers, StringComparer.Ordinal).GetAlternateLookup<ReadOnlySpan<char>>();
        _digitMarkers = Markers.Any(marker => char.IsAsciiDigit(marker[0]));
        IntegerMarkers = Markers.Any(marker => CsvNumbers.TryParseSmallInteger(marker, out _));
    }

    /// <summary>Whether a marker is a small integer (such as "-1" or "999"): if none is, a cell that reads as one is never missing.</summary>
    public bool IntegerMarkers { get; }

    // Whether a marker starts with a digit (such as "999"): if none does, a cell starting with one is a value at once.
    private readonly bool _digitMarkers;

    public string[] Markers { get; }

    public bool IsMissing(ReadOnlySpan<char> field)
    {
        if (!_digitMarkers && field.Length > 0 && char.IsAsciiDigit(field[0])) return false;
        field = field.Trim();
        return field.IsEmpty || _markers.Contains(field);
    }
}
