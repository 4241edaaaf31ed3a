using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
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
    private int[] _fieldStarts = new int[64];
    private int[] _fieldEnds = new int[64];
    private long _line = firstLine;

    public string FileName => fileName;

    /// <summary>The 1-based line on which the current record starts.</summary>
    public long RecordLine { get; private set; }

    public int FieldCount { get; private set; }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ReadOnlySpan<char> Field(int index)
    {
        int start = _fieldStarts[index];
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
            if (TryReadUnquotedRecord()) return true;
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

    /// <summary>
    /// Reads a record that lies wholly in the input buffer and holds no quote (nearly every record of a large numeric
    /// table) in one pass: one copy and a vectorised search for the delimiters, rather than a search per field. The fields
    /// are those the general path finds; false (nothing consumed) sends any other record to it.
    /// </summary>
    private bool TryReadUnquotedRecord()
    {
        if (delimiter is '"' or '\n' or '\r') return false;
        int end = _input.AsSpan(_inputPosition, _inputLength - _inputPosition).IndexOfAny('\n', '\r', '"');
        if (end < 0 && _inputPosition > 0 && Compact())
            end = _input.AsSpan(_inputPosition, _inputLength - _inputPosition).IndexOfAny('\n', '\r', '"');
        if (end < 0 || _input[_inputPosition + end] == '"') return false;
        var record = _input.AsSpan(_inputPosition, end);
        Append(record);
        SplitAtDelimiters(record);
        _inputPosition += end;
        ConsumeLineBreak();
        return true;
    }

    /// <summary>Moves the unread input to the buffer's start and reads more after it, so a record cut by the buffer's end is whole; false at the end of the text.</summary>
    private bool Compact()
    {
        int unread = _inputLength - _inputPosition;
        Array.Copy(_input, _inputPosition, _input, 0, unread);
        _inputPosition = 0;
        _inputLength = unread;
        int read = reader.Read(_input, unread, _input.Length - unread);
        _inputLength += read;
        return read > 0;
    }

    /// <summary>Ends a field at each delimiter of <paramref name="record"/> (copied, delimiters and all, to the record's start) and one at its end, eight characters at a compare.</summary>
    private void SplitAtDelimiters(ReadOnlySpan<char> record)
    {
        ref ushort first = ref Unsafe.As<char, ushort>(ref MemoryMarshal.GetReference(record));
        int start = 0;
        int i = 0;
        if (Vector128.IsHardwareAccelerated)
        {
            var target = Vector128.Create((ushort)delimiter);
            for (; i <= record.Length - Vector128<ushort>.Count; i += Vector128<ushort>.Count)
            {
                uint found = Vector128.Equals(Vector128.LoadUnsafe(ref first, (nuint)i), target).ExtractMostSignificantBits();
                while (found != 0)
                {
                    int end = i + BitOperations.TrailingZeroCount(found);
                    EndField(start, end);
                    start = end + 1;
                    found &= found - 1;
                }
            }
        }
        for (; i < record.Length; i++)
        {
            if (record[i] != delimiter) continue;
            EndField(start, i);
            start = i + 1;
        }
        EndField(start, record.Length);
    }

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

    private void EndField() => EndField(FieldCount == 0 ? 0 : _fieldEnds[FieldCount - 1], _charCount);

    private void EndField(int start, int end)
    {
        if (FieldCount == MaxFields)
            throw DataFormatException.AtLine(fileName, RecordLine, $"a row with more than {MaxFields:N0} columns, the most this reader takes");
        if (FieldCount == _fieldEnds.Length)
        {
            Array.Resize(ref _fieldStarts, 2 * _fieldStarts.Length);
            Array.Resize(ref _fieldEnds, 2 * _fieldEnds.Length);
        }
        _fieldStarts[FieldCount] = start;
        _fieldEnds[FieldCount++] = end;
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
