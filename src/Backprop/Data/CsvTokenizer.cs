using Backprop.IO;

namespace Backprop.Data;

/// <summary>
/// Splits CSV text into records and fields as RFC 4180 describes: fields separated by a delimiter,
/// records by CRLF, LF or CR; a field in double quotes may hold delimiters, line breaks and
/// <c>""</c> for a quote. Fields are handed out as spans of a reused buffer, so reading a large
/// file allocates per buffer, not per field.
/// </summary>
internal sealed class CsvTokenizer(TextReader reader, string fileName, char delimiter, long firstLine = 1) : IDisposable
{
    /// <summary>Most fields a record may have: far above any real table, and it bounds what a crafted row makes the reader hold.</summary>
    public const int MaxFields = 100_000;

    /// <summary>Most characters a record may have (16 Mi, 32 MB of memory), for the same reason.</summary>
    public const int MaxRecordChars = 16 * 1024 * 1024;

    private const int EndOfFile = -1;

    private readonly char[] _input = new char[64 * 1024];
    private int _inputPosition;
    private int _inputLength;
    private char[] _chars = new char[1024];
    private int _charCount;
    private int[] _fieldEnds = new int[64];
    private long _line = firstLine;

    public string FileName => fileName;

    /// <summary>The 1-based line on which the current record starts.</summary>
    public long RecordLine { get; private set; }

    public int FieldCount { get; private set; }

    public ReadOnlySpan<char> Field(int index)
    {
        int start = index == 0 ? 0 : _fieldEnds[index - 1];
        return _chars.AsSpan(start, _fieldEnds[index] - start);
    }

    /// <summary>Reads the next record, skipping empty lines; false at the end of the text.</summary>
    public bool ReadRecord()
    {
        while (true)
        {
            _charCount = 0;
            FieldCount = 0;
            RecordLine = _line;
            int c = Peek();
            if (c == EndOfFile) return false;
            if (c is '\n' or '\r')
            {
                ConsumeLineBreak();
                continue;
            }
            while (true)
            {
                int end = Peek() == '"' ? ReadQuotedField() : ReadPlainField();
                EndField();
                if (end == delimiter)
                {
                    Next();
                    continue;
                }
                if (end != EndOfFile) ConsumeLineBreak();
                return true;
            }
        }
    }

    public void Dispose() => reader.Dispose();

    /// <summary>Copies a field up to the next delimiter or line break in spans of the input buffer, not a character at a time: most fields of a large table are plain.</summary>
    private int ReadPlainField()
    {
        while (true)
        {
            if (Peek() == EndOfFile) return EndOfFile;
            var available = _input.AsSpan(_inputPosition, _inputLength - _inputPosition);
            int stop = available.IndexOfAny(delimiter, '\n', '\r');
            var field = stop < 0 ? available : available[..stop];
            Append(field);
            _inputPosition += field.Length;
            if (stop >= 0) return available[stop];
        }
    }

    private void Append(ReadOnlySpan<char> text)
    {
        if (_charCount + text.Length > MaxRecordChars)
            throw DataFormatException.AtLine(fileName, RecordLine, $"a row longer than {MaxRecordChars:N0} characters, the most this reader takes");
        if (_charCount + text.Length > _chars.Length) Array.Resize(ref _chars, Math.Max(2 * _chars.Length, _charCount + text.Length));
        text.CopyTo(_chars.AsSpan(_charCount));
        _charCount += text.Length;
    }

    private int ReadQuotedField()
    {
        long openingLine = _line;
        Next();
        while (true)
        {
            int c = Next();
            if (c == EndOfFile)
                throw DataFormatException.AtLine(fileName, openingLine, "quoted field is not closed before the end of the file");
            if (c == '"')
            {
                if (Peek() != '"') break;
                Next();
            }
            else if (c == '\n' || (c == '\r' && Peek() != '\n'))
            {
                _line++;
            }
            Append((char)c);
        }
        int after = Peek();
        if (after != EndOfFile && after != delimiter && after is not ('\n' or '\r'))
            throw DataFormatException.AtLine(fileName, _line, $"unexpected '{Quote.Short(((char)after).ToString())}' after a closing quote; a quote inside a quoted field is written \"\"");
        return after;
    }

    private void ConsumeLineBreak()
    {
        if (Next() == '\r' && Peek() == '\n') Next();
        _line++;
    }

    private void Append(char c)
    {
        if (_charCount == MaxRecordChars)
            throw DataFormatException.AtLine(fileName, RecordLine, $"a row longer than {MaxRecordChars:N0} characters, the most this reader takes");
        if (_charCount == _chars.Length) Array.Resize(ref _chars, 2 * _chars.Length);
        _chars[_charCount++] = c;
    }

    private void EndField()
    {
        if (FieldCount == MaxFields)
            throw DataFormatException.AtLine(fileName, RecordLine, $"a row with more than {MaxFields:N0} columns, the most this reader takes");
        if (FieldCount == _fieldEnds.Length) Array.Resize(ref _fieldEnds, 2 * _fieldEnds.Length);
        _fieldEnds[FieldCount++] = _charCount;
    }

    private int Peek()
    {
        if (_inputPosition == _inputLength)
        {
            _inputLength = reader.Read(_input, 0, _input.Length);
            _inputPosition = 0;
            if (_inputLength == 0) return EndOfFile;
        }
        return _input[_inputPosition];
    }

    private int Next()
    {
        int c = Peek();
        if (c != EndOfFile) _inputPosition++;
        return c;
    }
}
