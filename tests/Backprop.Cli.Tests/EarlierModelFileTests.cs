using System.Security.Cryptography;
using System.Text;
using Backprop.Tests;

namespace Backprop.Cli.Tests;

/// <summary>
/// Model files written by earlier versions of the tool keep working: predict gives exactly the CSV the version that
/// wrote them gave (Fixtures/README.md records the digests and the commands).
/// </summary>
public class EarlierModelFileTests
{
    [Theory]
    [InlineData("iris-cli-info.safetensors", "data/iris/iris.csv", "3bab4167b270576da72aad8de246e032828405bbeac9b69b86699c9e6a1ebeea")]
    [InlineData("mnist-mlp-cli-info.safetensors", null, "5f38df61ce2d0eb4c94235738a8db1e1bdd8cad9f6ac8aafd1681e177ee2da13")]
    [InlineData("mnist-cnn-cli-info.safetensors", null, "921d2fe4112e5907a6759beef7eca560354eb3d13269e7e175c66a5767d3eeb8")]
    public void Predict_OnAFileFromAnEarlierVersion_GivesTheSameCsvBitForBit(string fixture, string? data, string sha256)
    {
        string model = Path.Combine(RepoPaths.Root, "tests", "Backprop.Cli.Tests", "Fixtures", fixture);
        string[] args = data is null ? ["predict", "--model", model] : ["predict", "--model", model, "--data", Path.Combine(RepoPaths.Root, data)];

        var run = CliRun.InProcess(args);

        Assert.Equal("", run.Error);
        Assert.Equal(0, run.ExitCode);
        Assert.Equal(sha256, Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(run.Output))));
    }
}
