using Backprop.Data;
using Backprop.IO;
using Backprop.Losses;
using Backprop.NN;
using Backprop.Optimizers;
using Backprop.Training;
using Backprop;

// A table with a numeric target: the task, the imputation, one-hot columns and the scaling are worked out from the file
// and fitted on the training rows; the network learns the standardised target.
string path = args.Length > 0 ? args[0] : FindRepositoryFile(Path.Combine("data", "diabetes", "diabetes.csv"));
var data = TableData.Load(path, new TableOptions { LabelColumn = "target" }, validationFraction: 0.2, seed: 0);
Console.WriteLine(data.TaskReason);
foreach (string note in data.Notes) Console.WriteLine($"note: {note}");
var preprocessor = data.Preprocessor;

Rng.ManualSeed(0);
var model = new Sequential(new Dense(preprocessor.FeatureCount, 64), new ReLU(), new Dense(64, 1));
var history = model.Fit(data.Train, new FitOptions
{
    Epochs = 200,
    BatchSize = 32,
    Loss = new MseLoss(),
    Optimizer = new Adam(model.Parameters(), learningRate: 1e-3),
    Validation = data.Validation,
    StopWhen = Stop.NoImprovement(patience: 20),
});

// Errors come out in standardised units: multiply by σ (MAE) or σ² (MSE) for the target's own; R² is the same in both.
var evaluation = model.Evaluate(data.Validation!, new MseLoss());
double std = preprocessor.TargetStandardDeviation;
Console.WriteLine($"{history.StopReason}; validation R² {evaluation.RSquared:F3}, MAE {evaluation.MeanAbsoluteError * std:F1}, RMSE {Math.Sqrt(evaluation.MeanSquaredError!.Value) * std:F1}");

// A raw row, as a user would type it: the preprocessing fills the missing bmi with the training median.
var row = new Dictionary<string, string?> { ["age"] = "50", ["sex"] = "1", ["bmi"] = "NA", ["bp"] = "95", ["s1"] = "190", ["s2"] = "115", ["s3"] = "50", ["s4"] = "4", ["s5"] = "4.6", ["s6"] = "90" };
var output = model.Predict(Tensor.FromArray(preprocessor.Transform(row), 1, preprocessor.FeatureCount)).Item();
Console.WriteLine($"predicted progression for the raw row: {preprocessor.ToTarget(output):F1}");

// The model and its preprocessing in one file (as backprop train writes them) and as ONNX taking raw values.
model.Save("diabetes.safetensors", new ModelDescription { InputShape = [preprocessor.FeatureCount], Task = ModelTask.Regression, ClassNames = [], OutputsAreLogits = false, Preprocessing = preprocessor.ToJson() });
foreach (string note in OnnxExporter.ExportTable(model, "diabetes.onnx", preprocessor)) Console.WriteLine($"onnx: {note}");

static string FindRepositoryFile(string relative)
{
    for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        if (File.Exists(Path.Combine(dir.FullName, relative))) return Path.Combine(dir.FullName, relative);
    throw new FileNotFoundException($"No {relative} above {AppContext.BaseDirectory}; pass a CSV file as an argument.");
}
