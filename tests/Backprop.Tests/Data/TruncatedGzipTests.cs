using System.IO.Compression;
using System.Text;
using Backprop.Data;

namespace Backprop.Tests.Data;

/// <summary>
/// gzip files cut short (in the header, in the deflate data, in the 8-byte trailer) are errors that say so, for CSV tables
/// and IDX files alike, where .NET's GZipStream alone ends the data silently; whole files, files of several
/// concatenated members and files with bytes after the last member still read to the byte.
/// </summary>
public class TruncatedGzipTests
{
    // 2,000 rows of "a,b,target": about 30 KB of text, a few KB compressed, so the deflate data has many blocks' worth.
    private static readonly byte[] Table = Encoding.ASCII.GetBytes("a,b,target\n" + string.Concat(Enumerable.Range(0, 2000).Select(i => $"{i},{i * 7 % 13},{i % 3}\n")));

    private static byte[] Gzip(byte[] plain)
    {
        using var packed = new MemoryStream();
        using (var gzip = new GZipStream(packed, CompressionLevel.Optimal)) gzip.Write(plain);
        return packed.ToArray();
    }

    /// <summary>The first bytes of <paramref name="file"/>, cut where <paramref name="where"/> says (RFC 1952: a 10-byte header, the deflate data, an 8-byte trailer of CRC-32 and length).</summary>
    private static byte[] Cut(byte[] file, string where) => where switch
    {
        "header" => file[..5],
        "deflate data" => file[..(file.Length / 2)],
        "trailer start" => file[..^8],
        "CRC" => file[..^6],
        "length" => file[..^1],
        _ => throw new ArgumentException(where, nameof(where)),
    };

    private static byte[] ReadAll(Stream stream)
    {
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    [Fact]
    public void WholeFile_OneMemberOrSeveral_OrWithBytesAfterIt_ReadsToTheByte()
    {
        byte[] oneMember = Gzip(Table);
        byte[] twoMembers = [.. Gzip(Table[..1000]), .. Gzip(Table[1000..])];
        // Bytes after the last member that cannot start another (tar's zero padding) are ignored, as gzip -d does.
        byte[] padded = [.. oneMember, 0, 0, 0, 0];

        foreach (byte[] file in new[] { oneMember, twoMembers, padded })
        {
            using var stream = new CheckedGzipStream(new MemoryStream(file), leaveOpen: false);
            Assert.Equal(Table, ReadAll(stream));
        }
    }

    [Theory]
    [InlineData("header")]
    [InlineData("deflate data")]
    [InlineData("trailer start")]
    [InlineData("CRC")]
    [InlineData("length")]
    public void CutFile_IsTruncated(string where)
    {
        using var stream = new CheckedGzipStream(new MemoryStream(Cut(Gzip(Table), where)), leaveOpen: false);

        var error = Assert.Throws<InvalidDataException>(() => ReadAll(stream));

        Assert.StartsWith("gzip data is truncated: the file ends inside a compressed member", error.Message);
    }

    [Fact]
    public void SecondMemberCut_IsTruncated()
    {
        byte[] file = [.. Gzip(Table[..1000]), .. Cut(Gzip(Table[1000..]), "deflate data")];
        using var stream = new CheckedGzipStream(new MemoryStream(file), leaveOpen: false);

        Assert.StartsWith("gzip data is truncated", Assert.Throws<InvalidDataException>(() => ReadAll(stream)).Message);
    }

    [Theory]
    [InlineData("header")]
    [InlineData("deflate data")]
    [InlineData("trailer start")]
    [InlineData("length")]
    public void CutCsvTable_IsAOneLineErrorNamingTheFile(string where)
    {
        using var folder = new TempFolder();
        string path = folder.Write("table.csv.gz", Cut(Gzip(Table), where));

        var error = Assert.Throws<DataFormatException>(() => TableData.Load(path, new TableOptions { LabelColumn = "target" }, validationFraction: 0));

        Assert.Equal($"{path}: gzip data is truncated: the file ends inside a compressed member (was it cut short in a copy or a download?)", error.Message);
    }

    [Fact]
    public void WholeCsvTable_OfTwoMembers_Loads()
    {
        using var folder = new TempFolder();
        string path = folder.Write("table.csv.gz", [.. Gzip(Table[..1000]), .. Gzip(Table[1000..])]);

        var data = TableData.Load(path, new TableOptions { LabelColumn = "target" }, validationFraction: 0);

        Assert.Equal(2000, data.Train.Count);
        Assert.Equal(["a", "b"], data.Preprocessor.InputColumns);
    }

    [Theory]
    [InlineData("deflate data")]
    [InlineData("trailer start")]
    [InlineData("length")]
    public void CutIdxFile_IsTruncated_AtTheDecompressedByteWhereItEnds(string where)
    {
        using var folder = new TempFolder();
        // 50 images of 8×8: a 16-byte header and 3,200 pixel bytes.
        byte[] images = [0, 0, 8, 3, 0, 0, 0, 50, 0, 0, 0, 8, 0, 0, 0, 8, .. Enumerable.Range(0, 3200).Select(i => (byte)(i * 31 % 251))];
        string path = folder.Write("images.idx.gz", Cut(Gzip(images), where));

        var error = Assert.Throws<DataFormatException>(() => IdxReader.ReadImages(path));

        Assert.Contains("images.idx.gz byte ", error.Message);
        Assert.Contains("(decompressed): gzip data is truncated: the file ends inside a compressed member", error.Message);
    }
}
