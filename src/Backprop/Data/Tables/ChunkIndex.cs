namespace Backprop.Data;

/// <summary>
/// Where every <see cref="Rows"/>-th record of a CSV file starts, in bytes and lines, found by a pass over its bytes that
/// splits records exactly as <see cref="CsvTokenizer"/> does (a quote opens a quoted field only at a field's start, in
/// which line breaks and <c>""</c> belong to the field; CR, LF and CRLF end a record; empty lines are no record). A
/// streamed table then visits its chunks in a shuffled order by seeking to them. Only for seekable UTF-8 (or ASCII)
/// files: a gzip stream cannot seek, and a UTF-16 file's bytes are not its characters.
/// </summary>
internal sealed class ChunkIndex
{
    /// <summary>Records per chunk.</summary>
    public const int Rows = 4096;

    private ChunkIndex(long[] offsets, long[] lines)
    {
        Offsets = offsets;
        Lines = lines;
    }

    /// <summary>Byte offset of chunk k's first record (record k·<see cref="Rows"/> after the header).</summary>
    public long[] Offsets { get; }

    /// <summary>The 1-based line on which chunk k's first record starts.</summary>
    public long[] Lines { get; }

    public int Count => Offsets.Length;

    /// <summary>The index of a seekable UTF-8 file, or null when its chunks cannot be reached by seeking.</summary>
    public static ChunkIndex? Build(Func<Stream> open, char delimiter)
    {
        if (delimiter > 0x7f) return null;
        using var stream = open();
        if (!stream.CanSeek) return null;
        var buffer = new byte[64 * 1024];
        var offsets = new List<long>();
        var lines = new List<long>();
        long position = 0, line = 1, records = 0;
        var state = State.LineStart;
        bool afterCarriageReturn = false;
        int read;
        bool first = true;
        while ((read = stream.Read(buffer, 0, buffer.Length)) > 0)
        {
            int start = 0;
            if (first)
            {
                first = false;
                if (read >= 2 && ((buffer[0] == 0xff && buffer[1] == 0xfe) || (buffer[0] == 0xfe && buffer[1] == 0xff))) return null;
                if (read >= 3 && buffer[0] == 0xef && buffer[1] == 0xbb && buffer[2] == 0xbf) start = 3;
            }
            for (int i = start; i < read; i++)
            {
                byte b = buffer[i];
                bool wasCarriageReturn = afterCarriageReturn;
                afterCarriageReturn = false;
                switch (state)
                {
                    case State.LineStart when b is (byte)'\n' or (byte)'\r':
                        // An empty line, or the LF of a CRLF that ended the previous record (counted there).
                        if (!(b == '\n' && wasCarriageReturn)) line++;
                        afterCarriageReturn = b == '\r';
                        continue;
                    case State.LineStart:
                        // A record starts here: the header is record 0, so data record r is record r + 1.
                        if (records > 0 && (records - 1) % Rows == 0)
                        {
                            offsets.Add(position + i);
                            lines.Add(line);
                        }
                        records++;
                        state = State.FieldStart;
                        i--;
                        continue;
                    case State.FieldStart when b == '"':
                        state = State.Quoted;
                        continue;
                    case State.FieldStart or State.Plain:
                        if (b == delimiter) state = State.FieldStart;
                        else if (b is (byte)'\n' or (byte)'\r') EndRecord(b);
                        else state = State.Plain;
                        continue;
                    case State.Quoted:
                        if (b == '"') state = State.QuoteInQuoted;
                        else if (b is (byte)'\n' or (byte)'\r') line += b == '\n' && wasCarriageReturn ? 0 : 1;
                        afterCarriageReturn = b == '\r';
                        continue;
                    case State.QuoteInQuoted:
                        if (b == '"') state = State.Quoted;
                        else if (b == delimiter) state = State.FieldStart;
                        else if (b is (byte)'\n' or (byte)'\r') EndRecord(b);
                        else return null;   // the tokenizer refuses this file; nothing to index
                        continue;
                }
            }
            position += read;
        }
        return new ChunkIndex([.. offsets], [.. lines]);

        void EndRecord(byte b)
        {
            line++;
            afterCarriageReturn = b == '\r';
            state = State.LineStart;
        }
    }

    private enum State
    {
        LineStart,
        FieldStart,
        Plain,
        Quoted,
        QuoteInQuoted,
    }
}
