namespace Backprop.Data;

/// <summary>
/// A CSV file read whole into arrays: features row-major [Rows, FeatureCount], and per row either a
/// class index (<see cref="Labels"/>) or, in regression mode, a numeric target (<see cref="Targets"/>).
/// </summary>
/// <example>
/// <code>
/// var iris = CsvTable.Load("data/iris/iris.csv");     // label: last column, "species"
/// // iris.Rows == 150, iris.FeatureCount == 4, iris.ClassNames == [setosa, versicolor, virginica]
/// var test = CsvTable.Load("test.csv", new CsvOptions { ClassNames = iris.ClassNames });
/// </code>
/// </example>
public sealed class CsvTable
{
    internal CsvTable(string[] featureNames, string labelName, float[] features, int rows, int[]? labels, float[]? targets, string[] classNames)
    {
        FeatureNames = featureNames;
        LabelName = labelName;
        Features = features;
        Rows = rows;
        Labels = labels;
        Targets = targets;
        ClassNames = classNames;
    }

    /// <summary>Reads the CSV file at <paramref name="path"/> in one pass.</summary>
    /// <param name="path">A CSV file with a header row.</param>
    /// <param name="options">Label column and mode; the defaults take the last column as class labels.</param>
    /// <exception cref="DataFormatException">The file is empty, has no data rows, has a malformed
    /// row or a non-numeric feature, or lacks the label column.</exception>
    public static CsvTable Load(string path, CsvOptions? options = null)
    {
        using var file = File.OpenRead(path);
        return Load(file, path, options);
    }

    /// <summary>Reads a CSV from a stream in one pass; the stream is left open.</summary>
    /// <param name="stream">The CSV text, UTF-8 (a byte order mark selects another encoding).</param>
    /// <param name="name">The name used in error messages.</param>
    /// <param name="options">Label column and mode; the defaults take the last column as class labels.</param>
    /// <exception cref="DataFormatException">The CSV is empty, has no data rows, has a malformed
    /// row or a non-numeric feature, or lacks the label column.</exception>
    public static CsvTable Load(Stream stream, string name, CsvOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(name);
        options ??= new CsvOptions();
        options.Validate();
        using var tokenizer = CsvReader.OpenTokenizer(stream, name, options.Delimiter, leaveOpen: true);
        return CsvReader.Materialise(tokenizer, options);
    }

    /// <summary>Number of data rows (the header not counted).</summary>
    public int Rows { get; }

    /// <summary>Number of feature columns.</summary>
    public int FeatureCount => FeatureNames.Count;

    /// <summary>The feature columns' names, in file order.</summary>
    public IReadOnlyList<string> FeatureNames { get; }

    /// <summary>The label column's name.</summary>
    public string LabelName { get; }

    /// <summary>Feature values, row-major, shape [Rows, FeatureCount].</summary>
    public float[] Features { get; }

    /// <summary>Class index of each row, 0..ClassCount−1; <see langword="null"/> in regression mode.</summary>
    public int[]? Labels { get; }

    /// <summary>Numeric target of each row in regression mode; otherwise <see langword="null"/>.</summary>
    public float[]? Targets { get; }

    /// <summary>Class names in class-index order (<c>ClassNames[Labels[i]]</c> is row i's label text); empty in regression mode.</summary>
    public IReadOnlyList<string> ClassNames { get; }

    /// <summary>Number of classes; 0 in regression mode.</summary>
    public int ClassCount => ClassNames.Count;
}
