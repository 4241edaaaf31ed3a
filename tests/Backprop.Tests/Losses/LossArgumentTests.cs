using Backprop.Losses;

namespace Backprop.Tests.Losses;

public class LossArgumentTests
{
    public static TheoryData<string, Func<Reduction, Loss>> Losses => new()
    {
        { "MseLoss", reduction => new MseLoss(reduction) },
        { "CrossEntropyLoss", reduction => new CrossEntropyLoss(reduction) },
        { "BceLoss", reduction => new BceLoss(reduction) },
    };

    [Theory]
    [MemberData(nameof(Losses))]
    public void Constructor_WithAnUndefinedReduction_ThrowsQuotingIt(string _, Func<Reduction, Loss> create)
    {
        // Before this check, CrossEntropyLoss with class indices silently summed for any value that was not Mean or None.
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => create((Reduction)7));
        Assert.Equal("reduction", error.ParamName);
        Assert.Contains("got 7", error.Message);
    }
}
