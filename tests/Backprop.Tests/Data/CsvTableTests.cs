using Backprop.Data;

namespace Backprop.Tests.Data;

public class CsvTableTests
{
    private static int[] CountPerClass(CsvTable table)
    {
        var counts = new int[table.ClassCount];
        foreach (int label in table.Labels!) counts[label]++;
        return counts;
    }

    [Fact]
    public void Load_Iris_Has150RowsOf4FeaturesAnd3ClassesOf50()
    {
        var iris = CsvTable.Load(RepoPaths.Data("iris", "iris.csv"));

        // UCI Iris description: 150 instances, 4 numeric attributes, 3 classes of 50 each.
        Assert.Equal(150, iris.Rows);
        Assert.Equal(["sepal_length", "sepal_width", "petal_length", "petal_width"], iris.FeatureNames);
        Assert.Equal("species", iris.LabelName);
        Assert.Equal(["setosa", "versicolor", "virginica"], iris.ClassNames);
        Assert.Equal([50, 50, 50], CountPerClass(iris));
        Assert.Equal(150 * 4, iris.Features.Length);
        Assert.Equal([5.1f, 3.5f, 1.4f, 0.2f], iris.Features[..4]);
    }

    [Fact]
    public void Load_Wine_Has178RowsOf13FeaturesAndClasses59_71_48()
    {
        var wine = CsvTable.Load(RepoPaths.Data("wine", "wine.csv"));

        // UCI Wine description: 178 instances, 13 attributes, classes of 59, 71 and 48.
        Assert.Equal(178, wine.Rows);
        Assert.Equal(13, wine.FeatureCount);
        Assert.Equal(["0", "1", "2"], wine.ClassNames);
        Assert.Equal([59, 71, 48], CountPerClass(wine));
    }

    [Fact]
    public void Load_IntegerLabelsNotStartingAtZero_AreMappedInNumericOrder()
    {
        using var temp = new TempFolder();
        string path = temp.Write("labels.csv", "x,y\n1,10\n2,9\n3,10\n4,2\n");

        var table = CsvTable.Load(path);

        Assert.Equal(["2", "9", "10"], table.ClassNames);
        Assert.Equal([2, 1, 2, 0], table.Labels!);
    }

    [Fact]
    public void Load_LabelByNameAndByNegativeIndex_PickTheSameColumn()
    {
        using var temp = new TempFolder();
        string path = temp.Write("t.csv", "a,kind,b\n1,x,2\n3,y,4\n");

        var byName = CsvTable.Load(path, new CsvOptions { LabelColumn = "kind" });
        var byIndex = CsvTable.Load(path, new CsvOptions { LabelIndex = -2 });

        Assert.Equal(["a", "b"], byName.FeatureNames);
        Assert.Equal([1f, 2f, 3f, 4f], byName.Features);
        Assert.Equal(byName.Labels, byIndex.Labels);
        Assert.Equal(byName.Features, byIndex.Features);
    }

    [Fact]
    public void Load_QuotedFields_FollowRfc4180()
    {
        using var temp = new TempFolder();
        string path = temp.Write("quoted.csv", "\"size, cm\",\"name \"\"x\"\"\"\r\n\"1.5\",\"a, \"\"b\"\"\nc\"\r\n\r\n-2e1,plain\r\n");

        var table = CsvTable.Load(path);

        Assert.Equal(["size, cm"], table.FeatureNames);
        Assert.Equal("name \"x\"", table.LabelName);
        Assert.Equal([1.5f, -20f], table.Features);
        Assert.Equal(["a, \"b\"\nc", "plain"], table.ClassNames);
    }

    [Fact]
    public void Load_Regression_KeepsLabelAsTarget()
    {
        using var temp = new TempFolder();
        string path = temp.Write("r.csv", "y;x1;x2\n0.5;1;2\n-1.25;3;4\n");

        var table = CsvTable.Load(path, new CsvOptions { LabelIndex = 0, Regression = true, Delimiter = ';' });

        Assert.Null(table.Labels);
        Assert.Equal([0.5f, -1.25f], table.Targets!);
        Assert.Equal([1f, 2f, 3f, 4f], table.Features);
        Assert.Empty(table.ClassNames);
    }

    [Fact]
    public void Load_WithTrainingClassNames_MapsTheSameAndRejectsUnknown()
    {
        using var temp = new TempFolder();
        string path = temp.Write("test.csv", "x,species\n1,virginica\n2,daisy\n");
        var options = new CsvOptions { ClassNames = ["setosa", "versicolor", "virginica"] };

        var error = Assert.Throws<DataFormatException>(() => CsvTable.Load(path, options));

        Assert.Contains("test.csv line 3: label 'daisy' in column 'species' is not one of the classes setosa, versicolor, virginica", error.Message);
    }

    [Fact]
    public void Load_MissingColumn_SaysLineAndExpectedAndFoundCounts()
    {
        using var temp = new TempFolder();
        string path = temp.Write("short.csv", "a,b,label\n1,2,x\n3,y\n");

        var error = Assert.Throws<DataFormatException>(() => CsvTable.Load(path));

        Assert.EndsWith("short.csv line 3: expected 3 columns (as in the header), found 2", error.Message);
        Assert.Equal(3, error.LineNumber);
    }

    [Fact]
    public void Load_ExtraColumn_SaysLineAndExpectedAndFoundCounts()
    {
        using var temp = new TempFolder();
        string path = temp.Write("long.csv", "a,label\n1,x\n2,y,3\n");

        var error = Assert.Throws<DataFormatException>(() => CsvTable.Load(path));

        Assert.EndsWith("long.csv line 3: expected 2 columns (as in the header), found 3", error.Message);
    }

    [Fact]
    public void Load_NonNumericFeature_NamesLineColumnAndValue()
    {
        using var temp = new TempFolder();
        string rows = string.Concat(Enumerable.Repeat("5.1,3.5,1.4,0.2,setosa\n", 15));
        string path = temp.Write("iris.csv", "sepal_length,sepal_width,petal_length,petal_width,species\n" + rows + "5.1,3.5,1.4,abc,setosa\n");

        var error = Assert.Throws<DataFormatException>(() => CsvTable.Load(path));

        Assert.EndsWith("iris.csv line 17: column 'petal_width' value 'abc' is not a number", error.Message);
    }

    [Fact]
    public void Load_DecimalComma_IsNotANumberInTheInvariantCulture()
    {
        using var temp = new TempFolder();
        string path = temp.Write("comma.csv", "x;y\n1,5;a\n");

        var error = Assert.Throws<DataFormatException>(() => CsvTable.Load(path, new CsvOptions { Delimiter = ';' }));

        Assert.EndsWith("comma.csv line 2: column 'x' value '1,5' is not a number", error.Message);
    }

    [Fact]
    public void Load_EmptyFile_SaysSo()
    {
        using var temp = new TempFolder();
        string path = temp.Write("empty.csv", "");

        var error = Assert.Throws<DataFormatException>(() => CsvTable.Load(path));

        Assert.EndsWith("empty.csv line 1: empty file; expected a header row of column names", error.Message);
    }

    [Fact]
    public void Load_HeaderOnly_SaysThereAreNoRows()
    {
        using var temp = new TempFolder();
        string path = temp.Write("header.csv", "a,b,label\n");

        var error = Assert.Throws<DataFormatException>(() => CsvTable.Load(path));

        Assert.EndsWith("header.csv line 1: header row but no data rows", error.Message);
    }

    [Fact]
    public void Load_LabelColumnNameThatDoesNotExist_ListsTheColumns()
    {
        using var temp = new TempFolder();
        string path = temp.Write("cols.csv", "a,b,label\n1,2,x\n");

        var error = Assert.Throws<DataFormatException>(() => CsvTable.Load(path, new CsvOptions { LabelColumn = "class" }));

        Assert.EndsWith("cols.csv line 1: no label column 'class'; the columns are 'a', 'b', 'label'", error.Message);
    }

    [Fact]
    public void Load_LabelIndexOutOfRange_ListsTheColumns()
    {
        using var temp = new TempFolder();
        string path = temp.Write("cols.csv", "a,b,label\n1,2,x\n");

        var error = Assert.Throws<DataFormatException>(() => CsvTable.Load(path, new CsvOptions { LabelIndex = -4 }));

        Assert.EndsWith("cols.csv line 1: label column index -4 is outside the 3 columns 'a', 'b', 'label'", error.Message);
    }

    [Fact]
    public void Load_UnclosedQuote_NamesTheLineWhereItOpened()
    {
        using var temp = new TempFolder();
        string path = temp.Write("quote.csv", "a,label\n1,x\n2,\"y\n3,z\n");

        var error = Assert.Throws<DataFormatException>(() => CsvTable.Load(path));

        Assert.EndsWith("quote.csv line 3: quoted field is not closed before the end of the file", error.Message);
    }

    [Fact]
    public void Options_NameAndIndexTogether_AreRejected()
    {
        var error = Assert.Throws<ArgumentException>(() =>
            CsvTable.Load(new MemoryStream("a,b\n1,2\n"u8.ToArray()), "s.csv", new CsvOptions { LabelColumn = "a", LabelIndex = 0 }));

        Assert.Contains("not both", error.Message);
    }
}
