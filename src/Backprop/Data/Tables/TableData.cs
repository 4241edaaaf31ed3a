using System.Globalization;
using Backprop.IO;
using Backprop.Tensors;

namespace Backprop.Data;

/// <summary>
/// A CSV table ready to train on: its <see cref="TablePreprocessor"/> fitted on the training rows, and the training and
/// validation examples after preprocessing: in memory when they fit in <see cref="InMemoryLimitBytes"/>, otherwise
/// streamed from the file each epoch (<see cref="TableSource"/>), so a file of any size trains in bounded memory.
/// </summary>
/// <remarks>
/// Reading takes passes over the file: one for the column kinds and the labels (one number per row is kept), one for
/// the training rows' statistics, and one per epoch (or one in all, in memory) for the examples.
/// </remarks>
/// <example>
/// <code>
/// var data = TableData.Load("diabetes.csv", new TableOptions { LabelColumn = "target" });
/// Console.WriteLine(data.TaskReason);   // regression: label 'target' is numeric with 214 distinct values
/// model.Fit(data.Train, new FitOptions { Loss = new MseLoss(), Validation = data.Validation });
/// </code>
/// </example>
public sealed class TableData
{
    /// <summary>Largest preprocessed training set held in memory (1 GiB of float32 features); a larger one is streamed.</summary>
    public const long InMemoryLimitBytes = 1L << 30;

    private TableData(TablePreprocessor preprocessor, IDataSource train, IDataSource? validation, string taskReason, IReadOnlyList<string> notes, long droppedRows)
    {
        Preprocessor = preprocessor;
        Train = train;
        Validation = validation;
        TaskReason = taskReason;
        Notes = notes;
        DroppedRows = droppedRows;
    }

    /// <summary>The preprocessing fitted on the training rows; save it with the model.</summary>
    public TablePreprocessor Preprocessor { get; }

    /// <summary>The training examples: a <see cref="Dataset"/> in memory, or a <see cref="TableSource"/> streamed from the file.</summary>
    public IDataSource Train { get; }

    /// <summary>The validation examples, or null when the validation fraction was 0.</summary>
    public IDataSource? Validation { get; }

    /// <summary>Whether the examples are streamed from the file rather than held in memory.</summary>
    public bool Streamed => Train is TableSource;

    /// <summary>The task and why, in one line: "regression: label 'price' is numeric with 312 distinct values".</summary>
    public string TaskReason { get; }

    /// <summary>Choices made while reading that a user should hear about (a detected delimiter, a column read as categorical, dropped rows), one line each.</summary>
    public IReadOnlyList<string> Notes { get; }

    /// <summary>Rows left out because their label was missing.</summary>
    public long DroppedRows { get; }

    /// <summary>Reads and preprocesses the CSV file at <paramref name="path"/> (plain or .gz).</summary>
    /// <param name="path">A CSV file with a header row.</param>
    /// <param name="options">Label, task, missing values, categorical columns, scaling; the defaults read the last column as the label.</param>
    /// <param name="validationFraction">Share of the rows held out for validation (stratified by class for classification), in [0, 1); 0 for none.</param>
    /// <param name="seed">Selects the validation rows.</param>
    /// <exception cref="DataFormatException">The file is malformed or cannot be learned from (one label value, an empty column); the message names the line.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    public static TableData Load(string path, TableOptions? options = null, double validationFraction = 0.2, int seed = 0) =>
        Load(TableFile.Opener(path), path, options, validationFraction, seed);

    /// <summary>Reads and preprocesses a CSV that <paramref name="open"/> supplies afresh for each pass.</summary>
    /// <inheritdoc cref="Load(string, TableOptions?, double, int)"/>
    public static TableData Load(Func<Stream> open, string name, TableOptions? options = null, double validationFraction = 0.2, int seed = 0)
    {
        ArgumentNullException.ThrowIfNull(open);
        ArgumentNullException.ThrowIfNull(name);
        options ??= new TableOptions();
        options.Validate();
        if (!(validationFraction >= 0 && validationFraction < 1))
            throw new ArgumentOutOfRangeException(nameof(validationFraction), validationFraction, $"validationFraction must be in [0, 1), got {validationFraction}.");

        var scan = TableScan.Run(open, name, options);
        var (task, reason) = DecideTask(scan, options);
        int[]? labels = null;
        string[] classNames = [];
        if (task == ModelTask.Classification)
        {
            (labels, classNames) = scan.Labels.Classes();
            if (classNames.Length < 2)
                throw DataFormatException.InFile(name, $"label column '{Quote.Short(scan.Header.LabelName)}' has the single value '{Quote.Short(classNames[0])}'; classification needs at least 2 classes");
        }
        var split = validationFraction == 0 ? new SplitIndices([.. Enumerable.Range(0, scan.Rows)], [])
            : labels is not null ? Split.Stratified(labels, validationFraction, seed) : Split.Shuffled(scan.Rows, validationFraction, seed);
        if (split.Train.Length == 0) throw DataFormatException.InFile(name, $"no training rows are left after holding out {validationFraction:P0} of the {scan.Rows} rows for validation");
        var training = new bool[scan.Rows];
        foreach (int row in split.Train) training[row] = true;

        var notes = new List<string>(scan.Notes);
        var columns = FitColumns(open, name, scan, training, options, notes);
        float mean = 0, std = 1;
        if (task == ModelTask.Regression) (mean, std) = TargetStatistics(scan.Labels.Values, split.Train, scan.Header.LabelName, name);
        var preprocessor = new TablePreprocessor(scan.Header.LabelName, task, classNames, mean, std, new MissingMarkers(options.MissingValues).Markers,
            columns, scan.Header.Id is int id ? scan.Header.Names[id] : null, options.Scaling);

        long bytes = (long)scan.Rows * preprocessor.FeatureCount * sizeof(float);
        bool tooLarge = bytes > InMemoryLimitBytes || (long)scan.Rows * preprocessor.FeatureCount > Array.MaxLength;
        if (options.Stream == true || (options.Stream is null && tooLarge))
        {
            if (options.Stream is null) notes.Add(string.Create(CultureInfo.InvariantCulture, $"streaming the rows from the file each epoch: {bytes / (1 << 20):N0} MB of features is more than the {InMemoryLimitBytes >> 20:N0} MB held in memory"));
            var validating = new bool[scan.Rows];
            foreach (int row in split.Validation) validating[row] = true;
            var chunks = ChunkIndex.Build(open, scan.Delimiter);
            if (chunks is null) notes.Add("shuffling within a window only: the file cannot seek (gzip) or is not UTF-8, so its chunks are read in order");
            return new TableData(preprocessor,
                new TableSource(open, name, preprocessor, true, scan.Delimiter, training, options.Limit) { Chunks = chunks, KeptAtChunk = scan.KeptAtChunk, Header = scan.Header.Names },
                split.Validation.Length == 0 ? null : new TableSource(open, name, preprocessor, true, scan.Delimiter, validating, options.Limit),
                reason, notes, scan.Dropped);
        }
        var all = InMemory(new TableSource(open, name, preprocessor, true, scan.Delimiter, null, options.Limit), scan.Rows);
        return new TableData(preprocessor, all.Subset(split.Train), split.Validation.Length == 0 ? null : all.Subset(split.Validation), reason, notes, scan.Dropped);
    }

    private static (ModelTask Task, string Reason) DecideTask(TableScan scan, TableOptions options)
    {
        var labels = scan.Labels;
        string label = $"label '{Quote.Short(scan.Header.LabelName)}'";
        if (options.Task is ModelTask given)
        {
            if (given == ModelTask.Regression && !labels.AllNumeric)
                throw DataFormatException.InFile(scan.Header.FileName, $"{label} holds text, not numbers; regression needs a numeric label (use --task classification)");
            return (given, given == ModelTask.Regression ? "regression (as asked)" : "classification (as asked)");
        }
        if (!labels.AllNumeric) return (ModelTask.Classification, $"classification: {label} holds text");
        if (labels.AnyFraction)
            return (ModelTask.Regression, string.Create(CultureInfo.InvariantCulture, $"regression: {label} is numeric with non-integer values (such as {labels.FirstFraction:G6}); use --task classification to treat values as classes"));
        if (labels.DistinctNumbers > TableOptions.MaxClassesForAutomaticClassification)
            return (ModelTask.Regression, $"regression: {label} is numeric with more than {TableOptions.MaxClassesForAutomaticClassification} distinct values; use --task classification to treat values as classes");
        return (ModelTask.Classification, $"classification: {label} has {labels.DistinctNumbers} distinct integer values (at most {TableOptions.MaxClassesForAutomaticClassification}); use --task regression to predict a number");
    }

    private static ColumnEncoding[] FitColumns(Func<Stream> open, string name, TableScan scan, bool[] training, TableOptions options, List<string> notes)
    {
        var features = scan.Header.Features;
        int sample = (int)Math.Clamp((1 << 24) / features.Length, 1024, 1 << 16);
        var statistics = new ColumnStatistics[features.Length];
        for (int i = 0; i < features.Length; i++)
        {
            string column = scan.Header.Names[features[i]];
            statistics[i] = scan.Categorical[i] ? new CategoricalStatistics(column) : new NumericStatistics(column, sample, seed: i);
        }
        var missing = new MissingMarkers(options.MissingValues);
        using var tokenizer = TableFile.Tokenizer(open, name, scan.Delimiter);
        TableHeader.ReadNames(tokenizer);
        int kept = 0;
        long dropped = 0;
        while (kept < scan.Rows && tokenizer.ReadRecord())
        {
            TableScan.CheckWidth(tokenizer, scan.Header);
            if (missing.IsMissing(tokenizer.Field(scan.Header.Label)))
            {
                dropped++;
                continue;
            }
            if (training[kept++])
            {
                for (int i = 0; i < features.Length; i++)
                {
                    var field = tokenizer.Field(features[i]);
                    statistics[i].Add(field, missing.IsMissing(field));
                }
            }
        }
        long trainingRows = training.Count(selected => selected);
        return [.. statistics.Select(column => column.Encoding(options, trainingRows, notes))];
    }

    private static (float Mean, float Std) TargetStatistics(ReadOnlySpan<float> values, int[] rows, string labelName, string file)
    {
        double sum = 0;
        foreach (int row in rows) sum += values[row];
        double mean = sum / rows.Length, squares = 0;
        foreach (int row in rows) squares += (values[row] - mean) * (values[row] - mean);
        double std = Math.Sqrt(squares / rows.Length);
        if (!(std > 0))
            throw DataFormatException.InFile(file, string.Create(CultureInfo.InvariantCulture, $"label column '{Quote.Short(labelName)}' has the single value {mean:G6} in the training rows: there is nothing to learn"));
        return ((float)mean, (float)std);
    }

    private static Dataset InMemory(TableSource source, int rows)
    {
        int width = source.Preprocessor.FeatureCount;
        var features = new float[(long)rows * width];
        var labels = source.ClassCount > 0 ? new int[rows] : null;
        var targets = source.ClassCount > 0 ? null : new float[rows];
        foreach (var batch in source.ReadBatches(4096))
        {
            batch.Features.CopyTo(features, batch.FirstRow * width);
            batch.Labels?.CopyTo(labels!, batch.FirstRow);
            batch.Targets?.CopyTo(targets!, batch.FirstRow);
        }
        var inputs = Tensor.FromArray(features, rows, width);
        return labels is not null ? new Dataset(inputs, labels, source.ClassCount) : new Dataset(inputs, Tensor.FromArray(targets!, rows, 1));
    }
}
