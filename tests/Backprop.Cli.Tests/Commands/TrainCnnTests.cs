using System.Globalization;
using System.Text.Json;
using Backprop.NN;
using Backprop.Tests;

namespace Backprop.Cli.Tests.Commands;

[Collection(TrainedCnnCollection.Name)]
public class TrainCnnTests(TrainedCnnModel trained)
{
    [Fact]
    public void Default_ReachesTheHeldOutTarget_WithTwoConvolutionBlocksThenDense()
    {
        Assert.Equal(0, trained.Run.ExitCode);
        Assert.Empty(trained.Run.Error);
        Assert.Equal(11, trained.Run.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        // Issue 5's bar for --arch cnn with defaults: ≥ 97.5% of the 2000 held-out images of the MNIST subset within 10 epochs.
        var evaluation = CliRun.InProcess("evaluate", "--model", trained.ModelPath, "--json");
        using var document = JsonDocument.Parse(evaluation.Output);
        Assert.Equal(2000, document.RootElement.GetProperty("examples").GetInt32());
        double accuracy = document.RootElement.GetProperty("accuracy").GetDouble();
        Assert.True(accuracy >= 0.975, $"held-out accuracy {accuracy}");

        var (model, info) = ModelStore.Load(trained.ModelPath);
        var layers = ((Sequential)model).Layers;
        Assert.Equal([1, 28, 28], info.InputShape);
        Assert.Equal(2, layers.OfType<Conv2d>().Count());
        Assert.Equal(2, layers.OfType<MaxPool2d>().Count());
        Assert.IsType<Dense>(layers[^1]);
    }

    [Fact]
    public void Predict_ReadsTheTestImagesAsImages()
    {
        var run = CliRun.InProcess("predict", "--model", trained.ModelPath);

        Assert.Equal(0, run.ExitCode);
        var lines = run.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2001, lines.Length);
        Assert.Equal(1.0, lines[1].Split(',')[2..].Sum(field => double.Parse(field, CultureInfo.InvariantCulture)), 4);
    }

    [Fact]
    public void LibtorchReferenceSettings_BuildItsNetwork_AndLandNearItsAccuracy()
    {
        using var folder = new TempFolder();
        var run = CliRun.InProcess("train", "--arch", "cnn", "--channels", "8,16", "--dropout", "0", "--init", "pytorch", "--optimizer", "momentum",
            "--lr", "0.05", "--batch-size", "64", "--epochs", "2", "--schedule", "constant", "--json", "--out", folder.File("ref.safetensors"), "--no-plot");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(
            "Sequential(Conv2d(1, 8, kernelSize: 3, padding: 1), ReLU(), MaxPool2d(kernelSize: 2), Conv2d(8, 16, kernelSize: 3, padding: 1), ReLU(), "
            + "MaxPool2d(kernelSize: 2), Flatten(startDim: 1), Dense(784, 10))",
            ModelStore.Load(folder.File("ref.safetensors")).Model.ToString());
        var summary = JsonDocument.Parse(run.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1]).RootElement;
        // shared/libtorch-reference: this network, SGD lr 0.05 momentum 0.9, batch 64, 2 epochs reaches 94.2% on this subset;
        // initialisations differ (our seeds 0–3 gave 95.5–96.4%), so the bar is a floor 0.7 points under libtorch.
        Assert.InRange(summary.GetProperty("validation_accuracy").GetDouble(), 0.935, 1.0);
    }
}
