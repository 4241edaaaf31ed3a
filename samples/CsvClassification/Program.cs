using Backprop.Data;
using Backprop.Losses;
using Backprop.NN;
using Backprop.Optimizers;
using Backprop.Training;
using Backprop;

string path = args.Length > 0 ? args[0] : FindRepositoryFile(Path.Combine("data", "iris", "iris.csv"));
var table = CsvTable.Load(path);   // the label is the last column; its texts become classes 0, 1, 2
var split = Split.Stratified(table.Labels!, validationFraction: 0.2, seed: 42);
var scaling = Standardizer.Fit(table.Features, table.FeatureCount, split.Train);
var data = table.ToDataset();
var (train, validation) = (data.Subset(split.Train), data.Subset(split.Validation));

Rng.ManualSeed(0);
var model = new Sequential(
    new Standardize(scaling.Mean, scaling.StandardDeviation),
    new Dense(table.FeatureCount, 16), new ReLU(),
    new Dense(16, table.ClassCount));
var history = model.Fit(train, new FitOptions
{
    Epochs = 50,
    BatchSize = 16,
    Loss = new CrossEntropyLoss(),
    Optimizer = new Adam(model.Parameters(), learningRate: 0.01),
    Validation = validation,
    StopWhen = Stop.NoImprovement(patience: 10),
});

var evaluation = model.Evaluate(validation);
Console.WriteLine($"{history.StopReason}; validation accuracy {evaluation.Accuracy:P1} on {validation.Count} rows");
for (int c = 0; c < table.ClassCount; c++)
    Console.WriteLine($"  {table.ClassNames[c],-12} F1 {evaluation.Confusion!.F1(c):F3}  ({evaluation.Confusion.Support(c)} rows)");

static string FindRepositoryFile(string relative)
{
    for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        if (File.Exists(Path.Combine(dir.FullName, relative))) return Path.Combine(dir.FullName, relative);
    throw new FileNotFoundException($"No {relative} above {AppContext.BaseDirectory}; pass a CSV file as an argument.");
}
