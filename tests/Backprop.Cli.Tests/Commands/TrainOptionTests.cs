using System.Text.Json;
using Backprop.NN;
using Backprop.Tests;

namespace Backprop.Cli.Tests.Commands;

/// <summary>Each option of issue 5 changes what it should; runs are small (--limit) so the whole class stays fast.</summary>
public class TrainOptionTests
{
    [Fact]
    public void BatchNorm_AddsBatchNormalisationBeforeEachActivation_AndDropsTheBiasItWouldCancel()
    {
        using var folder = new TempFolder();
        var mlp = Train(folder, "mlp.safetensors", "--hidden", "16,8", "--batch-norm", "--dropout", "0");
        Assert.Equal("Sequential(Dense(784, 16, bias: false), BatchNorm1d(16), ReLU(), Dense(16, 8, bias: false), BatchNorm1d(8), ReLU(), Dense(8, 10))", mlp.ToString());
        Assert.Contains("1.running_mean", mlp.NamedBuffers().Select(pair => pair.Item1));

        var cnn = Train(folder, "cnn.safetensors", "--arch", "cnn", "--channels", "2,4", "--batch-norm", "--limit", "100");
        Assert.Equal(["weight", "bias"], ((Sequential)cnn)[1].NamedParameters().Select(pair => pair.Item1));
        Assert.Equal(2, ((Sequential)cnn).Layers.OfType<BatchNorm2d>().Count());
    }

    [Fact]
    public void Dropout_GoesBeforeEveryDenseLayerThatTakesLearnedFeatures()
    {
        using var folder = new TempFolder();
        Assert.Equal("Sequential(Dense(784, 16), ReLU(), Dropout(p: 0.5), Dense(16, 8), ReLU(), Dropout(p: 0.5), Dense(8, 10))",
            Train(folder, "mlp.safetensors", "--hidden", "16,8", "--dropout", "0.5").ToString());
        var cnn = (Sequential)Train(folder, "cnn.safetensors", "--arch", "cnn", "--channels", "2,4", "--dropout", "0.3", "--limit", "100");
        Assert.IsType<Dropout>(cnn[^2]);
        Assert.Single(cnn.Layers.OfType<Dropout>());
    }

    [Fact]
    public void WeightDecay_ShrinksTheWeights()
    {
        using var folder = new TempFolder();
        string[] plainSgd = ["--hidden", "32", "--optimizer", "sgd", "--epochs", "2", "--dropout", "0"];
        double free = SquaredNorm(Train(folder, "free.safetensors", plainSgd));
        double decayed = SquaredNorm(Train(folder, "decayed.safetensors", [.. plainSgd, "--weight-decay", "0.05"]));
        double adamW = SquaredNorm(Train(folder, "adamw.safetensors", "--hidden", "32", "--optimizer", "adamw", "--weight-decay", "0.5"));
        double adam = SquaredNorm(Train(folder, "adam.safetensors", "--hidden", "32", "--optimizer", "adamw", "--weight-decay", "0"));

        Assert.True(decayed < 0.9 * free, $"‖w‖² {decayed} with decay, {free} without");
        Assert.True(adamW < adam, $"‖w‖² {adamW} with AdamW's decay, {adam} without");
    }

    [Fact]
    public void ClipNorm_KeepsEveryLayersGradientNormWithinTheBound()
    {
        // The monitor's per-layer norm is a mean over steps of a part of the joint norm, so it is at most the bound.
        double[] Norms(params string[] extra)
        {
            var run = CliRun.InProcess(["train", "--hidden", "32", "--optimizer", "sgd", "--limit", "500", "--epochs", "1", "--diagnose", "--json", "--no-plot",
                "--out", Path.Combine(Path.GetTempPath(), $"clip-{Guid.NewGuid():N}.safetensors"), .. extra]);
            File.Delete(JsonDocument.Parse(run.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1]).RootElement.GetProperty("model").GetString()!);
            var epoch = JsonDocument.Parse(run.Output.Split('\n')[0]).RootElement;
            return [.. epoch.GetProperty("gradient_flow").EnumerateArray().Select(layer => layer.GetProperty("gradient_norm").GetDouble())];
        }

        Assert.All(Norms("--clip-norm", "0.05"), norm => Assert.InRange(norm, 0, 0.05));
        Assert.Contains(Norms(), norm => norm > 0.1);
    }

    [Theory]
    [InlineData("constant", new[] { 1.0, 1.0, 1.0 })]
    [InlineData("cosine", new[] { 1.0, 0.75, 0.25 })]
    [InlineData("step", new[] { 1.0, 0.1, 0.01 })]
    [InlineData("exponential", new[] { 1.0, 0.9, 0.81 })]
    [InlineData("warmup-cosine", new[] { 0.1, 1.0, 0.5 })]
    [InlineData("plateau", new[] { 1.0, 1.0, 1.0 })]
    public void Schedule_SetsEachEpochsLearningRate(string schedule, double[] factors)
    {
        using var folder = new TempFolder();
        var run = CliRun.InProcess("train", "--hidden", "8", "--limit", "200", "--epochs", "3", "--lr", "0.02", "--schedule", schedule,
            "--json", "--no-plot", "--out", folder.File("m.safetensors"));

        Assert.Equal(0, run.ExitCode);
        var rates = run.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries)[..3]
            .Select(line => JsonDocument.Parse(line).RootElement.GetProperty("learning_rate").GetDouble()).ToArray();
        for (int epoch = 0; epoch < 3; epoch++) Assert.Equal(0.02 * factors[epoch], rates[epoch], 12);
    }

    [Fact]
    public void Init_HeForReLUByDefault_PyTorchsOnRequest()
    {
        using var folder = new TempFolder();
        // Weight spread of the first layer (784 inputs) right after one tiny step: He gives √(2/784) ≈ 0.0505, PyTorch's U(±1/√784) gives 1/√(3·784) ≈ 0.0206.
        string[] barely = ["--hidden", "64", "--lr", "1e-9", "--limit", "16"];
        Assert.Equal(0.0505, FirstWeightStd(Train(folder, "he.safetensors", barely)), 0.002);
        Assert.Equal(0.0206, FirstWeightStd(Train(folder, "pt.safetensors", [.. barely, "--init", "pytorch"])), 0.002);
        Assert.Equal(0.0206, FirstWeightStd(Train(folder, "sig.safetensors", [.. barely, "--activation", "sigmoid"])), 0.002);
    }

    [Fact]
    public void Diagnose_ADeepSigmoidNetworkVanishes_ButReLUWithHeInitOrBatchNormDoesNot()
    {
        // Issue 5: 8 hidden layers of sigmoid lose their gradient on the way down; ReLU with He initialisation or batch normalisation keeps it.
        string[] deep = ["--hidden", "32,32,32,32,32,32,32,32", "--dropout", "0", "--limit", "1000", "--epochs", "1", "--diagnose"];
        using var folder = new TempFolder();
        string Run(params string[] extra)
        {
            var run = CliRun.InProcess(["train", .. deep, "--no-plot", "--out", folder.File("deep.safetensors"), .. extra]);
            Assert.Equal(0, run.ExitCode);
            return run.Output;
        }

        var sigmoid = Run("--activation", "sigmoid").Split('\n').Where(line => line.StartsWith("warning:", StringComparison.Ordinal)).ToArray();
        Assert.Contains("warning: layer 0 Dense(784, 32): gradients vanish", sigmoid[0]);
        Assert.DoesNotContain("warning:", Run("--activation", "relu"));
        Assert.DoesNotContain("warning:", Run("--activation", "sigmoid", "--batch-norm"));
    }

    [Theory]
    [InlineData("--arch", "rnn")]
    [InlineData("--channels", "8,x")]
    [InlineData("--channels", "1,2,3,4,5")]
    [InlineData("--init", "lecun")]
    [InlineData("--dropout", "1")]
    [InlineData("--dropout", "-0.1")]
    [InlineData("--weight-decay", "-1")]
    [InlineData("--clip-norm", "0")]
    [InlineData("--schedule", "linear")]
    [InlineData("--limit", "0")]
    [InlineData("--batch-size", "0")]
    public void BadValue_IsOneLineNamingOptionAndValue_Exit2(string option, string value)
    {
        string[] cnn = option == "--arch" ? [] : ["--arch", "cnn"];
        var run = CliRun.InProcess(["train", .. cnn, option, value]);

        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith($"error: {option} ", run.ErrorLines[0]);
        Assert.Contains($"'{value}'", run.ErrorLines[0]);
        Assert.Empty(run.Output);
    }

    [Fact]
    public void Channels_WithoutACnn_IsAUsageError()
    {
        var run = CliRun.InProcess("train", "--channels", "8,16");

        Assert.Equal(2, run.ExitCode);
        Assert.Equal("error: --channels applies to --arch cnn only.", run.ErrorLines[0]);
    }

    [Fact]
    public void Cnn_OnACsvFile_IsAUserErrorInOneLine()
    {
        var run = CliRun.InProcess("train", "--arch", "cnn", "--data", RepoPaths.Data("iris", "iris.csv"), "--no-plot", "--out", "never.safetensors");

        Assert.Equal(1, run.ExitCode);
        Assert.Single(run.ErrorLines);
        Assert.Contains("--arch cnn takes images (an image folder, an MNIST folder or the embedded subset), not the CSV file", run.Error);
        Assert.False(File.Exists("never.safetensors"));
    }

    private static Module Train(TempFolder folder, string name, params string[] options)
    {
        // Small runs unless the test asks otherwise: the parser refuses an option given twice.
        string[] defaults = [.. new[] { ("--limit", "500"), ("--epochs", "1") }.Where(pair => !options.Contains(pair.Item1)).SelectMany(pair => new[] { pair.Item1, pair.Item2 })];
        var run = CliRun.InProcess(["train", .. options, .. defaults, "--no-plot", "--quiet", "--out", folder.File(name)]);
        Assert.True(run.ExitCode == 0, run.Error);
        return ModelStore.Load(folder.File(name)).Model;
    }

    private static double SquaredNorm(Module model) =>
        model.NamedParameters().Where(pair => pair.Item1.EndsWith("weight", StringComparison.Ordinal)).Sum(pair => pair.Item2.ToDoubleArray().Sum(w => w * w));

    private static double FirstWeightStd(Module model)
    {
        var weights = model.NamedParameters().First().Item2.ToDoubleArray();
        double mean = weights.Average();
        return Math.Sqrt(weights.Average(w => (w - mean) * (w - mean)));
    }
}
