using Backprop.Cli.Models;
using Backprop.Data;

namespace Backprop.Cli.Data;

/// <summary><c>train --data table.csv</c>: the library's <see cref="TableData"/> as the tool's training data and model description.</summary>
internal static class TableInput
{
    /// <param name="path">The CSV file (plain or .gz).</param>
    /// <param name="options">The table options from the command line.</param>
    /// <param name="validationSplit">Fraction held out for validation.</param>
    /// <param name="seed">Seeds the split.</param>
    /// <param name="limit">Train on the first this many training rows: the reader stops after the rows it needs for them and their validation share.</param>
    public static TrainingData ForTraining(string path, TableOptions options, double validationSplit, int seed, int? limit)
    {
        if (limit is int count) options = options with { Limit = (long)Math.Ceiling(count / (1 - validationSplit)) };
        var table = TableData.Load(path, options, validationSplit, seed);
        var train = table.Train;
        if (limit is int most && train is Dataset inMemory && most < inMemory.Count) train = inMemory.Subset([.. Enumerable.Range(0, most)]);
        var preprocessor = table.Preprocessor;
        var info = new ModelInfo(ModelInfo.Table, preprocessor.ClassNames, preprocessor.InputColumns, preprocessor.LabelColumn, "", [preprocessor.FeatureCount])
        {
            Preprocessor = preprocessor,
        };
        return new TrainingData(train, table.Validation, info, path) { Table = table };
    }
}
