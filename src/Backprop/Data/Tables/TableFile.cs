using System.Text;

namespace Backprop.Data;

/// <summary>
/// Opens a CSV table for reading: gzip-compressed when it starts with gzip's magic bytes, whatever its name, a byte
/// order mark honoured and dropped, and the delimiter detected from the header row when not given.
/// </summary>
internal static class TableFile
{
    private const int HeaderProbeChars = 1024 * 1024;

    /// <summary>A function that opens the file afresh for each pass.</summary>
    public static Func<Stream> Opener(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path))
            throw new FileNotFoundException(Directory.Exists(path) ? $"{path} is a folder, not a CSV file." : $"{path}: no such file.", path);
        return () => Open(path);
    }

    private static Stream Open(string path)
    {
        var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
        if (!file.CanSeek)
        {
            // A pipe gives its text once, and a table is read in several passes (kinds, statistics, rows).
            file.Dispose();
            throw DataFormatException.InFile(path, "is a pipe or a device, not a file; a table is read in several passes, so save it to a file first");
        }
        // The bytes decide, not the name (as for IDX files): a plain CSV named .gz is read as the text it is rather than
        // failing in the decompressor with a message that names neither the file nor the problem.
        Span<byte> head = stackalloc byte[2];
        bool gzip = GzipMagic.Starts(head[..file.ReadAtLeast(head, head.Length, throwOnEndOfStream: false)]);
        file.Position = 0;
        return gzip ? new GzipTableStream(file, path) : file;
    }

    /// <summary>A tokenizer over a fresh stream from <paramref name="open"/>.</summary>
    public static CsvTokenizer Tokenizer(Func<Stream> open, string name, char delimiter)
    {
        var stream = open();
        try
        {
            return new CsvTokenizer(new StreamReader(stream, Encoding.UTF8, detectEncodingFromByteOrderMarks: true, 64 * 1024), name, delimiter);
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    /// <summary>
    /// The delimiter of the header row: of ',', ';' and tab, the one that occurs most often outside quotes (',' on a tie
    /// or when none occurs, for a one-column file).
    /// </summary>
    public static char DetectDelimiter(Func<Stream> open)
    {
        using var reader = new StreamReader(open(), Encoding.UTF8, detectEncodingFromByteOrderMarks: true, 64 * 1024);
        int commas = 0, semicolons = 0, tabs = 0;
        bool quoted = false;
        for (int read = 0; read < HeaderProbeChars; read++)
        {
            int c = reader.Read();
            if (c < 0 || (!quoted && c is '\n' or '\r')) break;
            if (c == '"') quoted = !quoted;
            else if (!quoted && c == ',') commas++;
            else if (!quoted && c == ';') semicolons++;
            else if (!quoted && c == '\t') tabs++;
        }
        if (semicolons > commas && semicolons >= tabs) return ';';
        if (tabs > commas && tabs > semicolons) return '\t';
        return ',';
    }
}
