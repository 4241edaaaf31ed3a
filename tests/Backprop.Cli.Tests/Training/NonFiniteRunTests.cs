using Backprop.Cli.Models;
using Backprop.Cli.Tests.Files;
using Backprop.IO;
using Backprop.NN;
using Backprop.Tests;

namespace Backprop.Cli.Tests.Training;

/// <summary>
/// A run whose loss stops being a number exits 3 and never replaces --out; a model whose weights are not numbers is
/// refused by predict, evaluate and export; a row whose outputs are not numbers gets no class.
/// </summary>
public class NonFiniteRunTests(IrisModel iris) : IClassFixture<IrisModel>
{
    [Fact]
    public void DivergingRun_Exits3_AndKeepsTheOldModel()
    {
        using var folder = iris.Copy();
        var before = Checksums.Of(folder.Path);
        // Plain SGD at a learning rate of 10⁶ overflows float32 within a few steps.
        var run = CliRun.InProcess("train", "--data", folder.File("iris.csv"), "--optimizer", "sgd", "--lr", "1000000", "--epochs", "20",
            "--out", folder.File("iris.safetensors"), "--plot", folder.File("curves.png"));

        Assert.Equal(3, run.ExitCode);
        string line = Assert.Single(run.ErrorLines, l => l.StartsWith("error:", StringComparison.Ordinal)).TrimEnd('\r');
        Assert.StartsWith("error: training stopped: the loss became ", line);
        Assert.EndsWith($"{folder.File("iris.safetensors")} was not written; try a lower --lr, or --clip-norm 1.", line);
        Assert.DoesNotContain("Model: ", run.Output);
        Assert.Equal(before, Checksums.Of(folder.Path));
    }

    [Fact]
    public void DivergingRun_WithJson_SaysDivergedAndNamesNoModel()
    {
        using var folder = iris.Copy();
        var run = CliRun.InProcess("train", "--data", folder.File("iris.csv"), "--optimizer", "sgd", "--lr", "1000000", "--epochs", "20",
            "--out", folder.File("new.safetensors"), "--no-plot", "--json");

        Assert.Equal(3, run.ExitCode);
        string summary = run.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1];
        Assert.Contains("\"diverged\":true", summary);
        Assert.DoesNotContain("\"model\"", summary);
        Assert.False(File.Exists(folder.File("new.safetensors")));
    }

    [Theory]
    [InlineData("predict")]
    [InlineData("evaluate")]
    [InlineData("export")]
    public void ModelWithNaNWeights_IsRefused(string command)
    {
        using var folder = iris.Copy();
        var (model, info) = ModelStore.Load(folder.File("iris.safetensors"));
        var weight = model.NamedParameters().First(pair => pair.Name.EndsWith("weight", StringComparison.Ordinal));
        var values = weight.Parameter.ToFloatArray();
        values[0] = float.NaN;
        weight.Parameter.CopyFrom(Tensor.FromArray(values, weight.Parameter.Shape.ToArray()));
        ModelStore.Save(model, folder.File("nan.safetensors"), info);
        var before = Checksums.Of(folder.Path);

        var run = command == "export"
            ? CliRun.InProcess("export", "--model", folder.File("nan.safetensors"), "--onnx", folder.File("nan.onnx"))
            : CliRun.InProcess(command, "--model", folder.File("nan.safetensors"), "--data", folder.File("iris.csv"));

        Assert.Equal(1, run.ExitCode);
        Assert.Equal($"error: {folder.File("nan.safetensors")}: weight '{weight.Name}' holds NaN or infinite values, so every output would be NaN: the training run diverged; train again with a lower --lr or --clip-norm 1.",
            Assert.Single(run.ErrorLines).TrimEnd('\r'));
        Assert.Empty(run.Output);
        Assert.Equal(before, Checksums.Of(folder.Path));
    }

    [Fact]
    public void Predict_RowWhoseOutputsAreNotNumbers_GetsNoClass_AndAWarning()
    {
        using var folder = new TempFolder();
        // Weights of 3·10³⁸ make the first row's logits overflow float32 to ∞ − ∞ = NaN inside the softmax; the second row is 0.
        var model = new Sequential(new Dense(1, 2));
        ((Dense)model[0]).Weight.CopyFrom(Tensor.FromArray(new[] { 3e38f, -3e38f }, 2, 1));
        ((Dense)model[0]).Bias!.CopyFrom(Tensor.FromArray(new[] { 0f, 0f }, 2));
        ModelStore.Save(model, folder.File("m.safetensors"), new ModelInfo(ModelInfo.Csv, ["a", "b"], ["x"], "label", "cross-entropy", [1]));
        string data = folder.Write("rows.csv", "x\n10\n0\n");

        var run = CliRun.InProcess("predict", "--model", folder.File("m.safetensors"), "--data", data);

        Assert.Equal(0, run.ExitCode);
        var lines = run.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).ToArray();
        Assert.Equal(["index,predicted,p_a,p_b", "0,,NaN,NaN", "1,a,0.5,0.5"], lines);
        Assert.StartsWith("warning: 1 row(s) have outputs that are not numbers (NaN or infinite), so no class was predicted", Assert.Single(run.ErrorLines));
    }
}
