namespace Backprop.Tests;

[Collection("Threads")]
public sealed class ThreadsTests
{
    [Fact]
    public void Count_DefaultsToProcessorCount()
    {
        Assert.Equal(Environment.ProcessorCount, Threads.Count);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-3)]
    public void Count_BelowOne_ThrowsQuotingTheValue(int value)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => Threads.Count = value);
        Assert.Contains(value.ToString(System.Globalization.CultureInfo.InvariantCulture), error.Message);
        Assert.Equal(Environment.ProcessorCount, Threads.Count);
    }

    [Fact]
    public void Count_CanBeSetAndRestored()
    {
        int original = Threads.Count;
        try
        {
            Threads.Count = 1;
            Assert.Equal(1, Threads.Count);
        }
        finally
        {
            Threads.Count = original;
        }
    }
}
