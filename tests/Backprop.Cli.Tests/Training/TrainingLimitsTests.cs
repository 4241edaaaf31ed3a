using Backprop.Cli.Tests.Files;
using Backprop.Tests;

namespace Backprop.Cli.Tests.Training;

/// <summary>A network too large for the machine is refused before it is allocated; a split that leaves no training rows and a loss that does not fall are said plainly.</summary>
public class TrainingLimitsTests(IrisModel iris) : IClassFixture<IrisModel>
{
    [Fact]
    public void HugeHiddenLayer_IsRefusedWithTheCountAndTheMemory_InBoundedMemory()
    {
        using var folder = iris.Copy();
        var before = Checksums.Of(folder.Path);
        using var run = ChildProcess.Run(folder.Path, "train", "--data", "iris.csv", "--hidden", "100000000");

        Assert.Equal(1, run.ExitCode);
        // 4 inputs → 10⁸ hidden → 3 classes: (4 + 1)·10⁸ + (10⁸ + 1)·3 = 800,000,003 parameters.
        string line = Assert.Single(run.ErrorLines);
        Assert.StartsWith("error: --hidden 100000000: the network would have 800,000,003 parameters and training needs about ", line);
        Assert.Matches(@"this machine has \d+(\.\d)? [GM]B\. Use smaller layers or a smaller --batch-size\.$", line);
        Assert.InRange(run.PeakResidentBytes, 0, 300L << 20);
        Assert.Equal(before, Checksums.Of(folder.Path));
    }

    [Fact]
    public void NetworkThatFitsInMemoryButPassesTheDocumentedCap_IsRefused()
    {
        using var folder = iris.Copy();
        // 4 → 50,000 → 5,000 → 3: (4 + 1)·50,000 + (50,000 + 1)·5,000 + (5,000 + 1)·3 = 250,270,003 parameters, about 6 GB.
        using var run = ChildProcess.Run(folder.Path, "train", "--data", "iris.csv", "--hidden", "50000,5000");

        Assert.Equal(1, run.ExitCode);
        string line = Assert.Single(run.ErrorLines);
        // On a machine of less than about 7 GB the memory check speaks first; both name the count.
        Assert.Contains("would have 250,270,003 parameters", line);
        if (GC.GetGCMemoryInfo().TotalAvailableMemoryBytes > 8L << 30)
            Assert.StartsWith("error: --hidden 50000,5000: the network for inputs of shape [4] would have 250,270,003 parameters, more than the 100,000,000 backprop trains", line);
        Assert.InRange(run.PeakResidentBytes, 0, 300L << 20);
    }

    [Fact]
    public void ValidationSplitThatLeavesNoTrainingRows_SaysSo()
    {
        var run = CliRun.InProcess("train", "--data", iris.DataPath, "--validation-split", "0.999", "--quiet");

        Assert.Equal(1, run.ExitCode);
        Assert.Equal("error: A validation fraction of 0.999 holds out all 150 rows: no training rows are left; use a smaller fraction.", Assert.Single(run.ErrorLines).TrimEnd('\r'));
    }

    [Fact]
    public void LossThatDoesNotFall_IsWarnedAboutAfterTheThirdEpoch()
    {
        using var folder = new TempFolder();
        // Plain SGD at a learning rate of 10 on iris overshoots: the loss grows instead of falling.
        var run = CliRun.InProcess("train", "--data", iris.DataPath, "--optimizer", "sgd", "--lr", "10", "--epochs", "3", "--out", folder.File("m.safetensors"), "--no-plot", "--json");

        var warning = Assert.Single(run.ErrorLines, line => line.StartsWith("warning:", StringComparison.Ordinal));
        Assert.Matches(@"^warning: loss is not decreasing \(.+ after epoch 1, .+ after epoch 3\): try a lower --lr\.\r?$", warning);
    }

    [Fact]
    public void RunAtChance_WhoseLossFellFromAHugeFirstEpoch_IsWarnedAbout()
    {
        using var folder = new TempFolder();
        // --lr 10 on MNIST: the loss falls from about 1,900 to about 3, still above ln 10 ≈ 2.30, at 10% accuracy.
        var run = CliRun.InProcess("train", "--lr", "10", "--limit", "3000", "--epochs", "3", "--out", folder.File("m.safetensors"), "--no-plot", "--json");

        var warning = Assert.Single(run.ErrorLines, line => line.StartsWith("warning:", StringComparison.Ordinal));
        Assert.Matches(@"^warning: loss is not decreasing below chance \(.+ after epoch 3, after .+; guessing the class frequencies gives 2\.\d+\): try a lower --lr\.\r?$", warning);
    }

    [Fact]
    public void LossThatFalls_GetsNoWarning()
    {
        using var folder = new TempFolder();
        var run = CliRun.InProcess("train", "--data", iris.DataPath, "--epochs", "5", "--out", folder.File("m.safetensors"), "--no-plot", "--json");

        Assert.Equal(0, run.ExitCode);
        Assert.Empty(run.Error);
    }
}
