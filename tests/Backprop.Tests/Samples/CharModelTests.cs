namespace Backprop.Tests.Samples;

/// <summary>Issue 6: the character model (samples/CharLanguageModel) learns, and generates deterministically for a seed.</summary>
public class CharModelTests
{
    private static string Text() =>
        File.ReadAllText(Path.Combine(RepoPaths.Root, "samples", "CharLanguageModel", "gettysburg.txt")).ReplaceLineEndings("\n");

    [Fact]
    public void Training_BringsTheLossBelowOneNatPerCharacter_AndGenerationIsDeterministicForASeed()
    {
        var model = new CharModel(Text());
        double loss = model.Train(steps: 250, seed: 1);
        // A uniform guess costs ln(vocabulary) ≈ 3.6 nats per character; the stated bound is 1.0.
        Assert.True(loss < 1.0, $"smoothed loss {loss:F3} nats/char");
        Assert.True(Math.Log(model.VocabularySize) > 3);

        string first = model.Generate("Four score", 120, seed: 7);
        Assert.Equal(first, model.Generate("Four score", 120, seed: 7));
        Assert.NotEqual(first, model.Generate("Four score", 120, seed: 8));
        Assert.Equal(130, first.Length);
    }

    [Fact]
    public void Generate_WithACharacterOutsideTheText_SaysWhichOne() =>
        Assert.Contains("'#'", Assert.Throws<ArgumentException>(() => new CharModel(Text()).Generate("#", 5, 1)).Message);
}
