using System.Globalization;
using Backprop.Images;
using Backprop.IO;
using Backprop.Tests;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace Backprop.Cli.Tests.Commands;

[Collection(ImageFolderCollection.Name)]
public class ImageFolderCommandTests(ImageFolderModel folder)
{
    [Fact]
    public void Train_OnAnImageFolder_RecordsTheTransformAndTheShapeInTheModelFile()
    {
        Assert.True(folder.Train.ExitCode == 0, folder.Train.Error);
        var description = ModelDescription.Read(folder.ModelPath)!;

        Assert.Equal([3, 20, 20], description.InputShape);   // the size the JPEGs share; tinted, so RGB
        Assert.Equal(["0", "1", "2"], description.ClassNames);
        Assert.Equal(new ImageTransform(20, 20, ColorMode.Rgb), ImageTransform.FromPreprocessing(description.Preprocessing!, folder.ModelPath));
    }

    [Fact]
    public void Predict_OnAFolder_WritesOneRowPerImage_RelativeToTheFolder_InOrdinalOrder()
    {
        var run = CliRun.InProcess("predict", "--model", folder.ModelPath, "--data", Path.Combine(folder.Root, "test"));
        Assert.True(run.ExitCode == 0, run.Error);

        var lines = run.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("file,predicted,p_0,p_1,p_2", lines[0]);
        var files = lines[1..].Select(line => line.Split(',')[0]).ToArray();
        Assert.Equal(24, files.Length);
        Assert.Equal(files.Order(StringComparer.Ordinal), files);
        Assert.Equal("0/00000.jpg", files[0]);
        foreach (string line in lines[1..])
        {
            var probabilities = line.Split(',')[2..].Select(p => double.Parse(p, CultureInfo.InvariantCulture)).ToArray();
            Assert.Equal(1, probabilities.Sum(), 4);
            Assert.Equal(line.Split(',')[1], Array.IndexOf(probabilities, probabilities.Max()).ToString(CultureInfo.InvariantCulture));
        }
    }

    [Fact]
    public void Predict_OnOneFile_GivesTheRowTheFolderGaveIt()
    {
        string file = Path.Combine(folder.Root, "test", "2", "00003.jpg");
        var one = CliRun.InProcess("predict", "--model", folder.ModelPath, "--data", file);
        var all = CliRun.InProcess("predict", "--model", folder.ModelPath, "--data", Path.Combine(folder.Root, "test"));
        Assert.True(one.ExitCode == 0, one.Error);

        string row = one.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries)[1];
        Assert.StartsWith("00003.jpg,", row);
        Assert.Contains("2/" + row, all.Output);
    }

    [Fact]
    public void Predict_OnAFolderWithABadImage_NamesIt_OrSkipsItWithAWarning()
    {
        using var temp = new TempFolder();
        foreach (string file in Directory.GetFiles(Path.Combine(folder.Root, "test", "1"))) File.Copy(file, temp.File(Path.GetFileName(file)));
        string bad = temp.File("bad.jpg");
        File.WriteAllText(bad, "just some notes\n");

        var strict = CliRun.InProcess("predict", "--model", folder.ModelPath, "--data", temp.Path, "--out", temp.File("p.csv"));
        Assert.Equal(1, strict.ExitCode);
        Assert.StartsWith($"error: {bad}: not an image this decoder reads", strict.ErrorLines.Single());
        Assert.False(File.Exists(temp.File("p.csv")));

        var lenient = CliRun.InProcess("predict", "--model", folder.ModelPath, "--data", temp.Path, "--skip-bad-images");
        Assert.True(lenient.ExitCode == 0, lenient.Error);
        Assert.Contains(lenient.ErrorLines, line => line.StartsWith($"warning: skipped {bad}: not an image", StringComparison.Ordinal));
        var files = lenient.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries)[1..].Select(line => line.Split(',')[0]);
        Assert.Equal(Enumerable.Range(0, 8).Select(i => $"{i:D5}.jpg"), files);   // the 8 test images of class 1, the bad file left out
    }

    [Fact]
    public void Predict_WithABadImageInALaterBatch_PrintsNothingButTheError_AndLeavesAnOutFileAsItWas()
    {
        using var temp = new TempFolder();
        // 72 good images (the 8 test images of class 1, nine times over) fill the first batch of 64; the bad file sorts last.
        var good = Directory.GetFiles(Path.Combine(folder.Root, "test", "1"));
        for (int copy = 0; copy < 9; copy++)
            foreach (string file in good) File.Copy(file, temp.File($"{copy}-{Path.GetFileName(file)}"));
        string bad = temp.File("zz-bad.jpg");
        File.WriteAllText(bad, "just some notes\n");
        using var outputs = new TempFolder();
        string earlier = outputs.Write("p.csv", "the predictions of an earlier run\n");

        var toStdout = CliRun.InProcess("predict", "--model", folder.ModelPath, "--data", temp.Path);
        var toFile = CliRun.InProcess("predict", "--model", folder.ModelPath, "--data", temp.Path, "--out", earlier);

        foreach (var run in new[] { toStdout, toFile })
        {
            Assert.Equal(1, run.ExitCode);
            Assert.StartsWith($"error: {bad}: not an image this decoder reads", run.ErrorLines.Single());
            Assert.Equal("", run.Output);
        }
        Assert.Equal("the predictions of an earlier run\n", File.ReadAllText(earlier));
        File.Delete(bad);
        var whole = CliRun.InProcess("predict", "--model", folder.ModelPath, "--data", temp.Path);
        Assert.True(whole.ExitCode == 0, whole.Error);
        Assert.Equal(1 + 72, whole.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
    }

    [Fact]
    public void Train_WithAValidationSplit_OnAFolderWithATestPart_SaysTheSplitIsNotUsed()
    {
        using var output = new TempFolder();
        var run = CliRun.InProcess("train", "--data", folder.Root, "--arch", "cnn", "--channels", "4", "--epochs", "1", "--validation-split", "0.5",
            "--no-plot", "--quiet", "--out", output.File("m.safetensors"));

        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Contains("--validation-split 0.5 is not used", run.Error);
        Assert.Contains(Path.Combine(folder.Root, "test"), run.Error);
    }

    [Theory]
    // The CNN warms up over the first epoch (a tenth of momentum's 0.05), on IDX files and image folders alike; an MLP
    // anneals from the start, at a fifth of nesterov's 0.05 on an image folder (TrainCommand.CnnSchedule, ImageData).
    [InlineData("cnn", true, 0.005, 0.05)]
    [InlineData("cnn", false, 0.005, 0.05)]
    [InlineData("mlp", true, 0.01, 0.005)]
    [InlineData("mlp", false, 0.05, 0.025)]
    public void Train_DefaultLearningRates_FollowTheArchitectureAndTheData(string architecture, bool imageFolder, double first, double second)
    {
        using var output = new TempFolder();
        string[] data = imageFolder ? ["--data", folder.Root] : ["--limit", "64"];
        string[] network = architecture == "cnn" ? ["--channels", "4"] : ["--hidden", "8"];
        var run = CliRun.InProcess(["train", .. data, "--arch", architecture, .. network, "--epochs", "2", "--json", "--no-plot", "--out", output.File("m.safetensors")]);

        Assert.True(run.ExitCode == 0, run.Error);
        var rates = run.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries)[..2]
            .Select(line => System.Text.Json.JsonDocument.Parse(line).RootElement.GetProperty("learning_rate").GetDouble()).ToArray();
        Assert.Equal(first, rates[0], 12);
        Assert.Equal(second, rates[1], 12);
    }

    [Fact]
    public void Train_WithImageOptions_OnATable_SaysTheyAreNotUsed()
    {
        using var output = new TempFolder();
        string table = output.Write("xor.csv", "a,b,y\n0,0,0\n0,1,1\n1,0,1\n1,1,0\n0,0,0\n0,1,1\n1,0,1\n1,1,0\n0,0,0\n1,1,0\n");
        var run = CliRun.InProcess("train", "--data", table, "--epochs", "1", "--image-size", "16", "--no-plot", "--quiet", "--out", output.File("m.safetensors"));

        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Contains("--image-size, --color-mode, --augment and --skip-bad-images apply to image folders", run.Error);
    }

    [Fact]
    public void Evaluate_OnTheImageFolder_ScoresItsTestPart()
    {
        var run = CliRun.InProcess("evaluate", "--model", folder.ModelPath, "--data", folder.Root, "--json");
        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Contains("\"examples\":24", run.Output.Replace(" ", "", StringComparison.Ordinal));
    }

    [Fact]
    public void Onnx_TakesRawPixels_WithScalingAndNormalisationInsideTheGraph()
    {
        string onnx = folder.File("digits.onnx");
        var export = CliRun.InProcess("export", "--model", folder.ModelPath, "--onnx", onnx);
        Assert.True(export.ExitCode == 0, export.Error);
        Assert.Contains("[batch, 3, 20, 20]", export.Output);

        string file = Path.Combine(folder.Root, "test", "1", "00000.jpg");
        float[] pixels = new ImageTransform(20, 20, ColorMode.Rgb).Load(file);   // 0–255, as the decoder gives them
        using var session = new InferenceSession(onnx);
        using var results = session.Run([NamedOnnxValue.CreateFromTensor("input", new DenseTensor<float>(pixels, [1, 3, 20, 20]))]);
        var logits = results[0].AsEnumerable<float>().Select(v => (double)v).ToArray();
        var softmax = logits.Select(v => Math.Exp(v - logits.Max())).ToArray();
        var expected = softmax.Select(v => v / softmax.Sum()).ToArray();

        var predict = CliRun.InProcess("predict", "--model", folder.ModelPath, "--data", file);
        var printed = predict.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries)[1].Split(',')[2..].Select(p => double.Parse(p, CultureInfo.InvariantCulture));
        Assert.All(expected.Zip(printed), pair => Assert.Equal(pair.First, pair.Second, 4));
    }
}
