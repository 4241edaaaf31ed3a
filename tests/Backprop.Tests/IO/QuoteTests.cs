using Backprop.IO;

namespace Backprop.Tests.IO;

public class QuoteTests
{
    [Theory]
    [InlineData("abc", 5, "abc")]
    [InlineData("abcdef", 5, "abcde…")]
    [InlineData("a\u001bb", 8, "a\\u001bb")]
    [InlineData("a\u001bb", 7, "a\\u001b…")] // the escape counts as the six characters it shows
    [InlineData("a\u001bb", 6, "a…")] // an escape is never cut in half
    [InlineData("x\n\ty", 10, "x\\n\\ty")]
    [InlineData("ab\ud83d\ude00", 3, "ab…")] // nor a surrogate pair
    [InlineData("ab\ud83d\ude00", 4, "ab\ud83d\ude00")]
    public void Short_CountsWhatIsShown_AndCutsOnlyBetweenWholeCharacters(string text, int maxLength, string expected) =>
        Assert.Equal(expected, Quote.Short(text, maxLength));

    [Fact]
    public void Short_ShowsForty()
    {
        string text = new('x', 100);
        Assert.Equal(new string('x', 40) + "…", Quote.Short(text));
    }
}
