using Backprop.Data;
using Backprop.Losses;
using Backprop.NN;
using Backprop.Optimizers;
using Backprop.Training;
using Backprop;

string folder = args.Length > 0 ? args[0] : FindRepositoryData("mnist10k");
var mnist = MnistFolder.Load(folder);
var train = mnist.Train.ToDataset();   // [8000, 784] pixels in [0, 1], labels 0–9
var test = mnist.Test.ToDataset();

Rng.ManualSeed(0);
var model = new Sequential(new Dense(784, 128), new ReLU(), new Dense(128, 10));
var optimizer = new Sgd(model.Parameters(), learningRate: 0.05, momentum: 0.9, nesterov: true);
var schedule = new CosineAnnealingLR(optimizer, tMax: 10);
var history = model.Fit(train, new FitOptions
{
    Epochs = 10,
    BatchSize = 16,
    Loss = new CrossEntropyLoss(),
    Optimizer = optimizer,
    Validation = test,
    OnEpochStart = epoch => { if (epoch > 1) schedule.Step(); },
    OnEpochEnd = e => Console.WriteLine($"epoch {e.Epoch,2}  loss {e.Loss:F4}  validation accuracy {e.ValidationAccuracy:P2}"),
});

var evaluation = model.Evaluate(test, new CrossEntropyLoss());
Console.WriteLine($"Held-out accuracy {evaluation.Accuracy:P2} after {history.Duration.TotalSeconds:F1} s");
for (int digit = 0; digit < 10; digit++)
    Console.WriteLine($"  digit {digit}: precision {evaluation.Confusion!.Precision(digit):F3}  recall {evaluation.Confusion.Recall(digit):F3}");

static string FindRepositoryData(string name)
{
    for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        if (Directory.Exists(Path.Combine(dir.FullName, "data", name))) return Path.Combine(dir.FullName, "data", name);
    throw new DirectoryNotFoundException($"No data/{name} above {AppContext.BaseDirectory}; pass the MNIST folder as an argument.");
}
