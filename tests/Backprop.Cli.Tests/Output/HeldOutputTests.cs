using System.Text;
using Backprop.Cli.Output;

namespace Backprop.Cli.Tests.Output;

public sealed class HeldOutputTests
{
    [Theory]
    [InlineData(3)]
    [InlineData(400_000)] // about 11 MB: past what is held in memory, so the text goes through the temporary file
    public void Write_PassesOnEverythingWritten_InOrder_AndTheResult(int lines)
    {
        var expected = new StringBuilder();
        for (int i = 0; i < lines; i++) expected.Append(i).Append(",predicted,0.25\n");
        if (lines > 1000) Assert.True(expected.Length > HeldOutput.MemoryBytes);
        var output = new StringWriter();

        int result = HeldOutput.Write(output, writer =>
        {
            for (int i = 0; i < lines; i++) writer.Write($"{i},predicted,0.25\n");
            return 42;
        });

        Assert.Equal(42, result);
        Assert.Equal(expected.ToString(), output.ToString());
    }

    [Theory]
    [InlineData(3)]
    [InlineData(400_000)]
    public void Write_WhenTheWriterFails_PassesOnNothing(int lines)
    {
        var output = new StringWriter();
        var error = Assert.Throws<InvalidDataException>(() => HeldOutput.Write<int>(output, writer =>
        {
            for (int i = 0; i < lines; i++) writer.Write($"{i},predicted,0.25\n");
            throw new InvalidDataException("a bad row");
        }));

        Assert.Equal("a bad row", error.Message);
        Assert.Equal("", output.ToString());
    }
}
