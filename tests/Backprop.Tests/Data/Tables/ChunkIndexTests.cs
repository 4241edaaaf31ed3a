using System.Text;
using Backprop.Data;

namespace Backprop.Tests.Data.Tables;

/// <summary>Chunk offsets found from a file's bytes must land on the records the tokenizer reads, whatever the quoting and line ends.</summary>
public class ChunkIndexTests
{
    [Theory]
    [InlineData("\n", false)]
    [InlineData("\r\n", true)]
    [InlineData("\r", false)]
    public void EveryChunk_StartsAtItsRecord_OnItsLine(string lineEnd, bool byteOrderMark)
    {
        using var folder = new TempFolder();
        var text = new StringBuilder("id,note,y").Append(lineEnd);
        int line = 2;
        var lines = new List<int>();
        for (int row = 0; row < 3 * ChunkIndex.Rows + 5; row++)
        {
            lines.Add(line);
            // Every 7th row has a quoted note across two lines with a quote and a comma in it; every 11th is followed by an empty line.
            string note = row % 7 == 0 ? $"\"é, \"\"quoted\"\"{lineEnd}second\"" : "plain";
            text.Append(row).Append(',').Append(note).Append(",x").Append(lineEnd);
            line += row % 7 == 0 ? 2 : 1;
            if (row % 11 == 0)
            {
                text.Append(lineEnd);
                line++;
            }
        }
        byte[] bytes = [.. byteOrderMark ? Encoding.UTF8.GetPreamble() : [], .. Encoding.UTF8.GetBytes(text.ToString())];
        string path = folder.Write("t.csv", bytes);
        var index = ChunkIndex.Build(() => File.OpenRead(path), ',');
        Assert.NotNull(index);
        Assert.Equal(4, index.Count);
        for (int chunk = 0; chunk < index.Count; chunk++)
        {
            using var stream = File.OpenRead(path);
            stream.Seek(index.Offsets[chunk], SeekOrigin.Begin);
            using var tokenizer = new CsvTokenizer(new StreamReader(stream, Encoding.UTF8, false), "t.csv", ',', index.Lines[chunk]);
            Assert.True(tokenizer.ReadRecord());
            int row = chunk * ChunkIndex.Rows;
            Assert.Equal(row.ToString(System.Globalization.CultureInfo.InvariantCulture), tokenizer.Field(0).ToString());
            Assert.Equal(lines[row], tokenizer.RecordLine);
        }
    }

    [Fact]
    public void GzipAndUtf16Files_HaveNoIndex()
    {
        using var folder = new TempFolder();
        string utf16 = folder.Write("u.csv", [.. Encoding.Unicode.GetPreamble(), .. Encoding.Unicode.GetBytes("a,y\n1,p\n")]);
        Assert.Null(ChunkIndex.Build(() => File.OpenRead(utf16), ','));
        string plain = folder.Write("p.csv", "a,y\n1,p\n");
        Assert.Null(ChunkIndex.Build(() => new System.IO.Compression.GZipStream(File.OpenRead(plain), System.IO.Compression.CompressionMode.Decompress), ','));
    }
}
