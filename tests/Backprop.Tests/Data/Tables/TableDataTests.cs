using System.IO.Compression;
using System.Text;
using Backprop.Data;
using Backprop.IO;

namespace Backprop.Tests.Data.Tables;

/// <summary>Reading a table: the task rule, imputation, one-hot, scaling, dialects; expected values worked out by hand from the files written here.</summary>
public class TableDataTests
{
    private static TableData Load(TempFolder folder, string content, TableOptions? options = null, double validation = 0) =>
        TableData.Load(folder.Write("t.csv", content), options, validation);

    private static float[] Features(TableData data) => ((Dataset)data.Train).Inputs.ToFloatArray();

    [Fact]
    public void NumericLabel_WithFractions_IsRegression_AndSaysWhy()
    {
        using var folder = new TempFolder();
        var data = Load(folder, "x,y\n1,1.5\n2,2.5\n3,3.5\n4,4.5\n");
        Assert.Equal(ModelTask.Regression, data.Preprocessor.Task);
        Assert.Contains("non-integer", data.TaskReason);
        // Targets 1.5..4.5: mean 3, population std √1.25; the network learns (y − 3) / √1.25.
        Assert.Equal(3f, data.Preprocessor.TargetMean, 5);
        Assert.Equal(MathF.Sqrt(1.25f), data.Preprocessor.TargetStandardDeviation, 5);
        var targets = ((Dataset)data.Train).Targets!.ToFloatArray();
        Assert.Equal(-1.5f / MathF.Sqrt(1.25f), targets[0], 5);
        Assert.Equal(4.5, data.Preprocessor.ToTarget(1.5 / Math.Sqrt(1.25)), 5);
    }

    [Fact]
    public void IntegerLabel_WithMoreThan20Values_IsRegression_With20_IsClassification()
    {
        using var folder = new TempFolder();
        string Rows(int n) => "x,y\n" + string.Concat(Enumerable.Range(0, n).Select(i => $"{i},{i}\n"));
        Assert.Equal(ModelTask.Regression, Load(folder, Rows(21)).Preprocessor.Task);
        var twenty = Load(folder, Rows(20));
        Assert.Equal(ModelTask.Classification, twenty.Preprocessor.Task);
        Assert.Equal(20, twenty.Preprocessor.ClassNames.Count);
        Assert.Contains("20 distinct integer values", twenty.TaskReason);
    }

    [Fact]
    public void TaskGiven_OverridesTheRule_AndRegressionOfText_IsAnError()
    {
        using var folder = new TempFolder();
        var forced = Load(folder, "x,y\n1,1.5\n2,2.5\n", new TableOptions { Task = ModelTask.Classification });
        Assert.Equal(["1.5", "2.5"], forced.Preprocessor.ClassNames);
        var error = Assert.Throws<DataFormatException>(() => Load(folder, "x,y\n1,a\n2,b\n", new TableOptions { Task = ModelTask.Regression }));
        Assert.Contains("holds text", error.Message);
    }

    [Fact]
    public void MissingNumbers_TakeTheTrainingMedian_AndIndicatorsMarkThem()
    {
        using var folder = new TempFolder();
        // Column a: 1, NA, 3, 10, "" → median of 1, 3, 10 is 3. Column b has no missing cell, so no indicator.
        var data = Load(folder, "a,b,y\n1,5,p\nNA,6,q\n3,7,p\n10,8,q\n,9,p\n", new TableOptions { Scaling = FeatureScaling.None, MissingIndicators = true });
        Assert.Equal(["a", "a_missing", "b"], data.Preprocessor.FeatureNames);
        Assert.Equal(new float[] { 1, 0, 5, 3, 1, 6, 3, 0, 7, 10, 0, 8, 3, 1, 9 }, Features(data));
    }

    [Fact]
    public void MissingLabels_DropTheRow_AndAreCounted()
    {
        using var folder = new TempFolder();
        var data = Load(folder, "a,y\n1,p\n2,\n3,q\n4,NA\n5,p\n");
        Assert.Equal(2, data.DroppedRows);
        Assert.Equal(3, data.Train.Count);
        Assert.Contains(data.Notes, note => note.Contains("dropped 2 rows"));
    }

    [Fact]
    public void TextColumn_IsOneHot_WithOther_AndMissingTakesTheMostFrequent()
    {
        using var folder = new TempFolder();
        // city counts: York 3, Leeds 2, Hull 1; MaxCategories 3 keeps York and Leeds, Hull goes to other; "" becomes York.
        var data = Load(folder, "city,y\nYork,p\nLeeds,q\nYork,p\nHull,q\n,p\nLeeds,q\nYork,p\n", new TableOptions { MaxCategories = 3 });
        Assert.Equal(["city=York", "city=Leeds", "city=other"], data.Preprocessor.FeatureNames);
        Assert.Equal(new float[] { 1, 0, 0, 0, 1, 0, 1, 0, 0, 0, 0, 1, 1, 0, 0, 0, 1, 0, 1, 0, 0 }, Features(data));
        Assert.Contains(data.Notes, note => note.Contains("city") && note.Contains("'other'"));
    }

    [Fact]
    public void UnseenCategory_AtPrediction_GoesToOther_AndIsCounted()
    {
        using var folder = new TempFolder();
        var data = Load(folder, "city,n,y\nYork,1,p\nLeeds,2,q\nYork,3,p\n");
        string fresh = folder.Write("new.csv", "n,city\n5,Bath\n6,York\n");
        var source = TableSource.Open(fresh, data.Preprocessor, labelled: false);
        var batch = Assert.Single(source.ReadBatches(10));
        // Features: city=York, city=Leeds, city=other, then n standardised by mean 2, std √(2/3).
        Assert.Equal(new float[] { 0, 0, 1 }, batch.Features[..3]);
        Assert.Equal(new float[] { 1, 0, 0 }, batch.Features[4..7]);
        Assert.Equal((5 - 2) / MathF.Sqrt(2f / 3), batch.Features[3], 5);
        Assert.Equal(1, source.OtherValues);
    }

    [Fact]
    public void NumericColumn_NamedCategorical_IsOneHot_WithNumbersInCanonicalForm()
    {
        using var folder = new TempFolder();
        var data = Load(folder, "code,y\n1,p\n2.0,q\n1.0,p\n", new TableOptions { Categorical = ["code"] });
        Assert.Equal(["code=1", "code=2", "code=other"], data.Preprocessor.FeatureNames);
    }

    [Theory]
    [InlineData(FeatureScaling.Standard, new float[] { -1.2247449f, 0, 1.2247449f })]
    [InlineData(FeatureScaling.MinMax, new float[] { 0, 0.5f, 1 })]
    [InlineData(FeatureScaling.Unit, new float[] { 0, 127.5f / 255, 1 })]
    [InlineData(FeatureScaling.None, new float[] { 0, 127.5f, 255 })]
    public void Scaling_IsTheChosenOne(FeatureScaling scaling, float[] expected)
    {
        // 0, 127.5, 255: mean 127.5, population std 127.5·√(2/3) so z = ∓√1.5 = ∓1.2247449.
        using var folder = new TempFolder();
        var data = Load(folder, "p,y\n0,a\n127.5,b\n255,a\n", new TableOptions { Scaling = scaling });
        var features = Features(data);
        for (int i = 0; i < 3; i++) Assert.Equal(expected[i], features[i], 5);
    }

    [Theory]
    [InlineData(';')]
    [InlineData('\t')]
    public void Delimiter_IsDetectedFromTheHeader(char delimiter)
    {
        using var folder = new TempFolder();
        var data = Load(folder, $"a{delimiter}b{delimiter}y\n1,5{delimiter}2{delimiter}p\n3{delimiter}4{delimiter}q\n");
        Assert.Equal(["a", "b"], data.Preprocessor.InputColumns);
        Assert.Contains(data.Notes, note => note.Contains("delimiter"));
    }

    [Fact]
    public void SemicolonFile_ReadWithAComma_SaysWhichDelimiterItIs()
    {
        using var folder = new TempFolder();
        var error = Assert.Throws<DataFormatException>(() => Load(folder, "a;b;y\n1;2;p\n", new TableOptions { Delimiter = ',' }));
        Assert.Contains("is the delimiter ';'?", error.Message);
    }

    [Fact]
    public void GzipFile_AndByteOrderMark_AreRead()
    {
        using var folder = new TempFolder();
        string path = folder.File("t.csv.gz");
        using (var gzip = new GZipStream(File.Create(path), CompressionLevel.Fastest))
            gzip.Write([.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes("a,y\n1,p\n2,q\n")]);
        var data = TableData.Load(path, validationFraction: 0);
        Assert.Equal(["a"], data.Preprocessor.InputColumns);
        Assert.Equal(2, data.Train.Count);
    }

    [Fact]
    public void GzipContent_UnderAPlainName_IsRecognisedByItsMagicBytes()
    {
        using var folder = new TempFolder();
        string path = folder.File("t.csv");
        using (var gzip = new GZipStream(File.Create(path), CompressionLevel.Fastest))
            gzip.Write(Encoding.UTF8.GetBytes("a,y\n1,p\n2,q\n3,p\n"));
        var data = TableData.Load(path, validationFraction: 0);
        Assert.Equal(["a"], data.Preprocessor.InputColumns);
        Assert.Equal(3, data.Train.Count);
    }

    [Fact]
    public void PlainText_UnderAGzipName_IsReadAsText()
    {
        using var folder = new TempFolder();
        var data = TableData.Load(folder.Write("t.csv.gz", "a,y\n1,p\n2,q\n"), validationFraction: 0);
        Assert.Equal(2, data.Train.Count);
    }

    [Fact]
    public void CorruptGzip_IsAOneLineErrorNamingTheFile()
    {
        using var folder = new TempFolder();
        string path = folder.File("t.csv");
        File.WriteAllBytes(path, [0x1F, 0x8B, .. Encoding.ASCII.GetBytes("not deflate at all")]);
        var error = Assert.Throws<DataFormatException>(() => TableData.Load(path, validationFraction: 0));
        Assert.StartsWith($"{path}: gzip data is corrupt", error.Message);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public void IgnoredAndIdColumns_AreLeftOut()
    {
        using var folder = new TempFolder();
        var data = Load(folder, "id,date,a,y\n7,2024-01-01,1,p\n8,2024-01-02,2,q\n", new TableOptions { Ignore = ["date"], IdColumn = "id" });
        Assert.Equal(["a"], data.Preprocessor.InputColumns);
        Assert.Equal("id", data.Preprocessor.IdColumn);
        string fresh = folder.Write("new.csv", "a,id\n3,x9\n");
        Assert.Equal(["x9"], Assert.Single(TableSource.Open(fresh, data.Preprocessor, labelled: false).ReadBatches(4)).Ids!);
    }

    [Theory]
    [InlineData("a,y\n1,p\n2,p\n", "single value 'p'")]
    [InlineData("a,y\n1,3\n2,3\n", "single value 3")]
    [InlineData("a,b,y\n1,,p\n2,,q\n", "column 'b' is empty in every row")]
    [InlineData("a,b,y\n1,2,p\n3,q\n", "line 3: expected 3 columns")]
    [InlineData("a,b,y\n1,2,p,9\n", "line 2: expected 3 columns")]
    [InlineData("a,y\n1e300,p\n2,q\n", "'1e300' is outside float32's range")]
    [InlineData("a,a,y\n1,2,p\n", "appears twice")]
    [InlineData("", "empty file")]
    [InlineData("a,y\n", "no data rows")]
    public void BadTables_AreOneLineErrors(string content, string problem)
    {
        using var folder = new TempFolder();
        var error = Assert.Throws<DataFormatException>(() => Load(folder, content, new TableOptions { Task = content.Contains(",3\n") ? ModelTask.Regression : null }));
        Assert.Contains(problem, error.Message);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public void ErrorMessages_QuoteAShortPrefix_WithControlCharactersEscaped()
    {
        using var folder = new TempFolder();
        string value = "\u001b[31m" + new string('x', 100_000);
        var error = Assert.Throws<DataFormatException>(() => Load(folder, $"\"{value}\",y\n1,2\n", new TableOptions { LabelColumn = "price" }));
        Assert.Contains("no label column 'price'", error.Message);
        Assert.DoesNotContain('\u001b', error.Message);
        Assert.True(error.Message.Length < 300, error.Message);
    }

    [Fact]
    public void CategoricalColumn_With100000Values_KeepsTheMostFrequent_AndSaysItLooksLikeAnIdentifier()
    {
        using var folder = new TempFolder();
        var text = new StringBuilder("code,y\n");
        for (int i = 0; i < 100_000; i++) text.Append("c").Append(i).Append(i % 2 == 0 ? ",p\n" : ",q\n");
        var data = Load(folder, text.ToString());
        Assert.Equal(50, data.Preprocessor.FeatureCount);
        Assert.Contains(data.Notes, note => note.Contains("identifier") && note.Contains("--ignore 'code'"));
    }

    [Fact]
    public void Preprocessor_SurvivesItsJson_AndTransformsRawRowsTheSame()
    {
        using var folder = new TempFolder();
        var data = Load(folder, "a,city,y\n1,York,1.5\nNA,Leeds,2.5\n3,York,7\n", new TableOptions { MissingIndicators = true, Scaling = FeatureScaling.MinMax });
        var again = TablePreprocessor.FromJson(data.Preprocessor.ToJson(), [], "model.safetensors");
        var row = new Dictionary<string, string?> { ["a"] = "2", ["city"] = "Hull" };
        Assert.Equal(data.Preprocessor.Transform(row), again.Transform(row));
        Assert.Equal(data.Preprocessor.TargetMean, again.TargetMean);
        Assert.Equal(data.Preprocessor.FeatureNames, again.FeatureNames);
    }

    [Fact]
    public void FiveRowsOf200000Columns_AreRefused_WithoutTakingMemory()
    {
        using var folder = new TempFolder();
        string row = string.Join(',', Enumerable.Repeat("1", 200_000));
        string path = folder.Write("wide.csv", string.Concat(Enumerable.Repeat(row + "\n", 6)));
        long before = GC.GetAllocatedBytesForCurrentThread();
        var error = Assert.Throws<DataFormatException>(() => TableData.Load(path));
        Assert.Contains("more than 100,000 columns", error.Message);
        // The reader stops at the cap: a few MB of buffers, not the 2 GB that a column object per field once took.
        Assert.InRange(GC.GetAllocatedBytesForCurrentThread() - before, 0, 64L * 1024 * 1024);
    }

    [Fact]
    public void Limit_StopsReadingBeforeTheRowsItLeavesOut()
    {
        // Row 4 is malformed: read with a limit of 3 rows, the reader never reaches it.
        using var folder = new TempFolder();
        string content = "a,y\n1,p\n2,q\n3,p\n4,q,extra\n";
        Assert.Throws<DataFormatException>(() => Load(folder, content));
        Assert.Equal(3, Load(folder, content, new TableOptions { Limit = 3 }).Train.Count);
    }

    [Theory]
    [InlineData("0", 0f)]
    [InlineData("-0", -0f)]
    [InlineData("255", 255f)]
    [InlineData("-1234567", -1234567f)]
    [InlineData("0012", 12f)]
    [InlineData("12345678", 12345678f)]
    [InlineData(" 42 ", 42f)]
    public void SmallIntegers_ReadAsFloatParsingReadsThem(string text, float expected)
    {
        // The expected values are float.Parse's: the integer fast path must not change a single bit.
        Assert.Equal(CsvNumbers.Kind.Number, CsvNumbers.Parse(text, out float value));
        Assert.Equal(BitConverter.SingleToInt32Bits(expected), BitConverter.SingleToInt32Bits(value));
        Assert.Equal(BitConverter.SingleToInt32Bits(float.Parse(text, System.Globalization.CultureInfo.InvariantCulture)), BitConverter.SingleToInt32Bits(value));
    }

    [Fact]
    public void DevZero_EndsInAOneLineError_NotInRunawayMemory()
    {
        // An endless stream of NUL characters: the header row never ends, and the row cap stops it.
        long before = GC.GetAllocatedBytesForCurrentThread();
        var error = Assert.Throws<DataFormatException>(() => TableData.Load("/dev/zero"));
        Assert.Contains("a row longer than", error.Message);
        Assert.InRange(GC.GetAllocatedBytesForCurrentThread() - before, 0, 256L * 1024 * 1024);
    }
}
