using Backprop.Data;
using Backprop.Losses;
using Backprop.NN;
using Backprop.Optimizers;
using Backprop.Training;
using Backprop;

string folder = args.Length > 0 ? args[0] : FindDataFolder();
var mnist = MnistFolder.Load(folder);
var train = mnist.Train.ToDataset(asImages: true);   // [8000, 1, 28, 28], pixels in [0, 1]
var test = mnist.Test.ToDataset(asImages: true);     // [2000, 1, 28, 28]

Rng.ManualSeed(1);
var model = new Sequential(
    new Conv2d(1, 8, kernelSize: 3, padding: 1), new ReLU(), new MaxPool2d(2),    // → [N, 8, 14, 14]
    new Conv2d(8, 16, kernelSize: 3, padding: 1), new ReLU(), new MaxPool2d(2),   // → [N, 16, 7, 7]
    new Flatten(), new Dense(16 * 7 * 7, 10));

var history = model.Fit(train, new FitOptions
{
    Epochs = 3,
    BatchSize = 64,
    Loss = new CrossEntropyLoss(),
    Optimizer = new Sgd(model.Parameters(), learningRate: 0.05, momentum: 0.9),
    Validation = test,
    OnEpochEnd = e => Console.WriteLine(
        $"epoch {e.Epoch}: loss {e.Loss:F4}, train accuracy {e.Accuracy:P2}, test accuracy {e.ValidationAccuracy:P2}, {e.SamplesPerSecond:F0} samples/s"),
});

var evaluation = model.Evaluate(test);
Console.WriteLine($"held-out accuracy: {evaluation.Accuracy:P2} ({history.StopReason})");
for (int digit = 0; digit < 10; digit++)
    Console.WriteLine($"  digit {digit}: precision {evaluation.Confusion!.Precision(digit):P1}, recall {evaluation.Confusion.Recall(digit):P1}");

static string FindDataFolder()
{
    for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
    {
        string candidate = Path.Combine(directory.FullName, "data", "mnist10k");
        if (Directory.Exists(candidate)) return candidate;
    }
    throw new DirectoryNotFoundException("data/mnist10k not found above the program's folder; pass the MNIST folder as the first argument.");
}
