using System.Globalization;
using System.Text.Json;
using Backprop.IO;
using Backprop.NN;
using Backprop.Tests;

namespace Backprop.Cli.Tests.Commands;

public class SummaryCommandTests
{
    private static string Fixture(string name) => Path.Combine(RepoPaths.Root, "tests", "Backprop.Cli.Tests", "Fixtures", name);

    [Fact]
    public void Json_OfTheMlpFixture_GivesLayersShapesAndTotals()
    {
        var run = CliRun.InProcess("summary", "--model", Fixture("mnist-mlp-cli-info.safetensors"), "--json");

        Assert.Equal(0, run.ExitCode);
        using var json = JsonDocument.Parse(run.Output);
        var layers = json.RootElement.GetProperty("layers").EnumerateArray().ToList();
        Assert.Equal("0", layers[0].GetProperty("name").GetString());
        Assert.Equal("Dense(784, 8)", layers[0].GetProperty("type").GetString());
        Assert.Equal([8], layers[0].GetProperty("output_shape").EnumerateArray().Select(d => d.GetInt32()));
        Assert.Equal(784 * 8 + 8, layers[0].GetProperty("parameters").GetInt64());
        Assert.Equal([10], layers[^1].GetProperty("output_shape").EnumerateArray().Select(d => d.GetInt32()));
        // train --hidden 8: Dense(784, 8) and Dense(8, 10), by hand.
        Assert.Equal(784 * 8 + 8 + 8 * 10 + 10, json.RootElement.GetProperty("total_parameters").GetInt64());
        Assert.Equal(784 * 8 + 8 + 8 * 10 + 10, json.RootElement.GetProperty("trainable_parameters").GetInt64());
    }

    [Fact]
    public void Text_OfTheCnnFixture_ShowsEveryShapeFromTheRecordedInputShape()
    {
        string path = Fixture("mnist-cnn-cli-info.safetensors");
        var run = CliRun.InProcess("summary", "--model", path);

        Assert.Equal(0, run.ExitCode);
        // train --arch cnn --channels 2,4: 28 → 14 → 7 through two blocks of convolution (padding 1) and pooling.
        Assert.Contains("[N, 1, 28, 28]", run.Output);
        Assert.Contains("[N, 2, 28, 28]", run.Output);
        Assert.Contains("[N, 4, 7, 7]", run.Output);
        Assert.Contains("[N, 10]", run.Output);
        // The total is every parameter tensor's size in the file (its buffers are none: no batch norm).
        long inFile = SafeTensorsReader.Read(path).Entries.Sum(e => e.ElementCount);
        Assert.Contains(string.Create(CultureInfo.InvariantCulture, $"Total parameters: {inFile:N0}"), run.Output);
    }

    [Fact]
    public void InputShape_WhenGiven_OverridesTheRecordedShape()
    {
        var run = CliRun.InProcess("summary", "--model", Fixture("mnist-cnn-cli-info.safetensors"), "--input-shape", "1,29,29");

        Assert.True(run.ExitCode == 0, run.Error);
        // The fixture records 1×28×28; given 29×29, convolution (padding 1) keeps 29 and 2×2 pooling floors it: 29 → 14 → 7,
        // which the Dense(196, 10) at the end still takes.
        Assert.Contains("[N, 1, 29, 29]", run.Output);
        Assert.Contains("[N, 2, 29, 29]", run.Output);
        Assert.Contains("[N, 4, 7, 7]", run.Output);
        Assert.DoesNotContain("28, 28", run.Output);
    }

    [Fact]
    public void AModelSavedFromCode_WithoutAShape_NeedsInputShapeOnlyWhenItsFirstLayerCannotTell()
    {
        using var folder = new TempFolder();
        string dense = folder.File("dense.safetensors"), conv = folder.File("conv.safetensors");
        new Sequential(new Dense(3, 2, seed: 1)).Save(dense);
        new Sequential(new Conv2d(1, 2, 3, seed: 1), new Flatten()).Save(conv);

        Assert.Contains("[N, 2]", CliRun.InProcess("summary", "--model", dense).Output);
        var unknown = CliRun.InProcess("summary", "--model", conv);
        Assert.Equal(1, unknown.ExitCode);
        Assert.Contains("pass --input-shape", unknown.ErrorLines[0]);
        var given = CliRun.InProcess("summary", "--model", conv, "--input-shape", "1,5,5");
        Assert.Equal(0, given.ExitCode);
        Assert.Contains("[N, 18]", given.Output);
    }

    [Fact]
    public void MissingModel_IsAUserError_AndABadShape_IsAUsageError()
    {
        var missing = CliRun.InProcess("summary", "--model", "no-such-model.safetensors");
        Assert.Equal(1, missing.ExitCode);
        Assert.Contains("no such model file", missing.ErrorLines[0]);

        Assert.Equal(2, CliRun.InProcess("summary", "--model", Fixture("mnist-mlp-cli-info.safetensors"), "--input-shape", "1,x").ExitCode);
    }
}
