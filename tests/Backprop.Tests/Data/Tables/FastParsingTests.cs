using System.Globalization;
using System.Text;
using Backprop.Data;

namespace Backprop.Tests.Data.Tables;

/// <summary>
/// The shortcuts that make streaming a large table fast (whole unquoted records split at once, small integers encoded
/// without the general checks) must give exactly what the general paths give, on many random inputs.
/// </summary>
public class FastParsingTests
{
    [Fact]
    public void Tokenizer_RandomRecords_GivesTheFieldsAndLinesTheyWereWrittenWith()
    {
        var random = new Random(7);
        for (int file = 0; file < 40; file++)
        {
            char delimiter = ",;\t|"[random.Next(4)];
            var (text, records) = RandomCsv(random, delimiter, file % 10 == 0 ? 70_000 : 40);
            using var tokenizer = new CsvTokenizer(new StringReader(text), "random.csv", delimiter);
            foreach (var (line, fields) in records)
            {
                Assert.True(tokenizer.ReadRecord());
                Assert.Equal(line, tokenizer.RecordLine);
                Assert.Equal(fields.Length, tokenizer.FieldCount);
                for (int i = 0; i < fields.Length; i++) Assert.Equal(fields[i], tokenizer.Field(i).ToString());
            }
            Assert.False(tokenizer.ReadRecord());
        }
    }

    [Fact]
    public void Tokenizer_ARecordWiderThanItsInputBuffer_IsReadWhole()
    {
        // 50,000 fields of "255": 200,000 characters, three times the tokenizer's 64 K input buffer.
        string row = string.Join(",", Enumerable.Repeat("255", 50_000));
        using var tokenizer = new CsvTokenizer(new StringReader("x\n" + row + "\n" + row), "wide.csv", ',');
        Assert.True(tokenizer.ReadRecord());
        for (int record = 0; record < 2; record++)
        {
            Assert.True(tokenizer.ReadRecord());
            Assert.Equal(50_000, tokenizer.FieldCount);
            Assert.Equal("255", tokenizer.Field(49_999).ToString());
            Assert.Equal(record + 2, tokenizer.RecordLine);
        }
        Assert.False(tokenizer.ReadRecord());
    }

    [Fact]
    public void StreamedFeatures_OfRandomNumericCells_AreFloatParse_AndTransform_BitForBit()
    {
        var random = new Random(11);
        string[] odd = ["-0", "0", "007", "+5", " 12", "12 ", "1.5", "-2.25", "1e3", "12345678", "-1234567", "9999999", "NA", "", "-1", "?"];
        var rows = new List<string[]>();
        var text = new StringBuilder("a,b,c,y\n");
        for (int row = 0; row < 3000; row++)
        {
            var cells = Enumerable.Range(0, 3).Select(_ => random.Next(4) == 0
                ? odd[random.Next(odd.Length)]
                : (random.Next(3) == 0 ? "-" : "") + random.Next(0, random.Next(2) == 0 ? 256 : 10_000_000).ToString(CultureInfo.InvariantCulture)).ToArray();
            rows.Add(cells);
            text.Append(string.Join(",", cells)).Append(row % 2 == 0 ? ",p\n" : ",q\n");
        }
        using var folder = new TempFolder();
        string path = folder.Write("numbers.csv", text.ToString());
        // "-1" is a missing marker here: a cell that reads as a small integer must still be checked against the markers.
        foreach (var scaling in new[] { FeatureScaling.None, FeatureScaling.Standard, FeatureScaling.Unit })
        {
            var options = new TableOptions { Scaling = scaling, MissingValues = ["NA", "?", "-1"], Stream = true };
            var preprocessor = TableData.Load(path, options, validationFraction: 0).Preprocessor;
            var features = TableSource.Open(path, preprocessor, labelled: true).ReadBatches(256).SelectMany(batch => batch.Features).ToArray();
            Assert.Equal(rows.Count * 3, features.Length);
            for (int row = 0; row < rows.Count; row++)
            {
                var raw = new Dictionary<string, string?> { ["a"] = rows[row][0], ["b"] = rows[row][1], ["c"] = rows[row][2] };
                var expected = preprocessor.Transform(raw);
                for (int column = 0; column < 3; column++)
                {
                    float actual = features[row * 3 + column];
                    Assert.Equal(BitConverter.SingleToInt32Bits(expected[column]), BitConverter.SingleToInt32Bits(actual));
                    string cell = rows[row][column].Trim();
                    if (scaling == FeatureScaling.None && cell is not ("" or "NA" or "?" or "-1"))
                        Assert.Equal(BitConverter.SingleToInt32Bits(float.Parse(cell, CultureInfo.InvariantCulture)), BitConverter.SingleToInt32Bits(actual));
                }
            }
        }
    }

    /// <summary>Random records (plain, quoted, empty and long fields; LF, CRLF and CR; blank lines) and what each holds.</summary>
    private static (string Text, List<(long Line, string[] Fields)> Records) RandomCsv(Random random, char delimiter, int recordCount)
    {
        var text = new StringBuilder();
        var records = new List<(long, string[])>();
        long line = 1;
        string[] breaks = ["\n", "\r\n", "\r"];
        for (int record = 0; record < recordCount; record++)
        {
            if (random.Next(20) == 0)
            {
                // A blank line; not "\n", which after a record's "\r" would make one CRLF.
                text.Append(breaks[1 + random.Next(2)]);
                line++;
            }
            int count = random.Next(1, random.Next(10) == 0 ? 900 : 12);
            var fields = new string[count];
            long start = line;
            for (int i = 0; i < count; i++)
            {
                if (i > 0) text.Append(delimiter);
                if (random.Next(15) == 0)
                {
                    // A quoted field may hold the delimiter, quotes and line breaks.
                    string value = string.Concat(Enumerable.Range(0, random.Next(0, 8)).Select(_ => "a1\"\n\r "[random.Next(6)])) + delimiter;
                    text.Append('"').Append(value.Replace("\"", "\"\"")).Append('"');
                    line += value.Replace("\r\n", "\n").Count(c => c is '\n' or '\r');
                    fields[i] = value;
                }
                else
                {
                    // A plain field: digits, text, spaces, and a quote that is not its first character (literal there).
                    string value = random.Next(3) == 0 ? random.Next(256).ToString(CultureInfo.InvariantCulture)
                        : string.Concat(Enumerable.Range(0, random.Next(0, random.Next(30) == 0 ? 300 : 6)).Select(_ => "xy9. -"[random.Next(6)]));
                    if (value.Length > 0 && random.Next(40) == 0) value += "\"q";
                    fields[i] = value;
                    text.Append(value);
                }
            }
            // A record of one empty field is a blank line, which the reader skips: give it a value.
            if (count == 1 && fields[0].Length == 0)
            {
                fields[0] = "z";
                text.Append('z');
            }
            records.Add((start, fields));
            if (record < recordCount - 1 || random.Next(2) == 0)
            {
                text.Append(breaks[random.Next(3)]);
                line++;
            }
        }
        return (text.ToString(), records);
    }
}
