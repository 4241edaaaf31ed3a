namespace Backprop.Data;

/// <summary>
/// A data file that cannot be read as the format it claims to be. The message is one line that
/// names the file, where in it the problem is (line or byte offset) and what the problem is, e.g.
/// <c>iris.csv line 17: column 'petal_width' value 'abc' is not a number</c>.
/// </summary>
public sealed class DataFormatException : Exception
{
    private DataFormatException(string fileName, long? lineNumber, long? byteOffset, string? offsetNote, string problem)
        : base(FormatMessage(fileName, lineNumber, byteOffset, offsetNote, problem))
    {
        FileName = fileName;
        LineNumber = lineNumber;
        ByteOffset = byteOffset;
        Problem = problem;
    }

    /// <summary>A problem with a whole file, e.g. an image that cannot be decoded: the message is <c>fileName: problem</c>.</summary>
    /// <param name="fileName">The file (or stream name) that was being read.</param>
    /// <param name="problem">What is wrong, in a few words, quoting any value from the file short (control characters escaped).</param>
    public DataFormatException(string fileName, string problem)
        : this(fileName ?? throw new ArgumentNullException(nameof(fileName)), null, null, null, problem ?? throw new ArgumentNullException(nameof(problem)))
    {
    }

    /// <summary>The file (or stream name) that was being read.</summary>
    public string FileName { get; }

    /// <summary>The 1-based line of a text file where the problem is, or <see langword="null"/>.</summary>
    public long? LineNumber { get; }

    /// <summary>The 0-based byte offset of a binary file where the problem is, or <see langword="null"/>.</summary>
    public long? ByteOffset { get; }

    /// <summary>What is wrong, without the file and location.</summary>
    public string Problem { get; }

    internal static DataFormatException AtLine(string fileName, long lineNumber, string problem) =>
        new(fileName, lineNumber, null, null, problem);

    // offsetNote says what the offset counts when it is not the file's own bytes, e.g.
    // "decompressed" for a gzip file.
    internal static DataFormatException AtOffset(string fileName, long byteOffset, string? offsetNote, string problem) =>
        new(fileName, null, byteOffset, offsetNote, problem);

    internal static DataFormatException InFile(string fileName, string problem) =>
        new(fileName, null, null, null, problem);

    private static string FormatMessage(string fileName, long? lineNumber, long? byteOffset, string? offsetNote, string problem)
    {
        if (lineNumber is { } line) return $"{fileName} line {line}: {problem}";
        if (byteOffset is { } offset)
            return offsetNote is null ? $"{fileName} byte {offset}: {problem}" : $"{fileName} byte {offset} ({offsetNote}): {problem}";
        return $"{fileName}: {problem}";
    }
}
