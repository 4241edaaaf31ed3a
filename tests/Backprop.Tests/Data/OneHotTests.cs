using Backprop.Data;

namespace Backprop.Tests.Data;

public class OneHotTests
{
    [Fact]
    public void Encode_PutsOneInTheLabelColumn()
    {
        Assert.Equal([0f, 0f, 1f, 1f, 0f, 0f], OneHot.Encode([2, 0], classes: 3));
    }

    [Fact]
    public void Encode_LabelOutOfRange_QuotesIndexValueAndRange()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => OneHot.Encode([1, 9, 10], classes: 10));

        Assert.Contains("labels[2] is 10, outside the class range 0..9 (classes = 10)", error.Message);
    }

    [Fact]
    public void Encode_NegativeLabel_IsRejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => OneHot.Encode([-1], classes: 2));
    }
}
