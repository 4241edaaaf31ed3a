namespace Backprop.Images.Tests;

/// <summary>
/// Formats SkiaSharp reads but cannot write — GIF (still and animated), CMYK JPEG, palette PNG — from files another
/// encoder made of MNIST training digit 0 (Fixtures/README.md says how), decoded as training decodes them: through an
/// <see cref="ImageSource"/>'s batches.
/// </summary>
public sealed class ForeignFormatTests
{
    private static readonly byte[] Digit0 = MnistPictures.Train.Images.Image(0).ToArray();
    private static readonly byte[] Digit1 = MnistPictures.Train.Images.Image(1).ToArray();

    [Fact]
    public void Gif_DecodesToTheDigitsGreyLevelsExactly()
    {
        // The GIF's palette holds the digit's 35 grey levels, so nothing is lost.
        Assert.Equal(Floats(Digit0), Decode("digit0.gif", ColorMode.Gray));
    }

    [Fact]
    public void AnimatedGif_IsReadAsItsFirstFrame()
    {
        float[] pixels = Decode("digit0-then-1.gif", ColorMode.Gray);

        Assert.Equal(Floats(Digit0), pixels);
        Assert.NotEqual(Floats(Digit1), pixels);
    }

    [Fact]
    public void PalettePng_DecodesToTheTintedDigitExactly()
    {
        // 35 grey levels, 35 colours: the palette holds every one.
        Assert.Equal(Tinted(Digit0), Decode("digit0-palette.png", ColorMode.Rgb));
    }

    [Fact]
    public void CmykJpeg_DecodesToTheTintedDigitInRgb_WithinJpegError()
    {
        float[] pixels = Decode("digit0-cmyk.jpg", ColorMode.Rgb);
        float[] expected = Tinted(Digit0);

        // JPEG is lossy: ImageMagick, which wrote the file, decodes it to within 0.59 levels on average and 16 at most (of
        // 255); SkiaSharp gives 0.62 and 16. The bounds leave room for another IDCT's rounding and catch wrong conversions,
        // worked out on the exact tinted digit: the Adobe inversion missed is off by 246 on average, C/M/Y mapped to B/G/R
        // by 165, K ignored by 2.2 on average and 125 at most (mid-grey ink is where K carries the level).
        var errors = pixels.Zip(expected, (a, b) => Math.Abs(a - b)).ToArray();
        Assert.True(errors.Average() < 1.5 && errors.Max() <= 24, $"mean error {errors.Average()}, largest {errors.Max()}");
    }

    [Fact]
    public void TheFixtures_AreListedAsImageFiles()
    {
        Assert.Equal(["digit0-cmyk.jpg", "digit0-palette.png", "digit0-then-1.gif", "digit0.gif"],
            ImageFolder.Files(FixturesFolder).Select(Path.GetFileName));
    }

    private static string FixturesFolder => Path.Combine(AppContext.BaseDirectory, "Fixtures");

    private static float[] Decode(string name, ColorMode mode)
    {
        var source = ImageSource.FromFiles([Path.Combine(FixturesFolder, name)], new ImageTransform(28, 28, mode));
        return source.Batches(0, 1, shuffle: false, seed: 0).Single().Inputs.ToFloatArray();
    }

    private static float[] Floats(byte[] pixels) => [.. pixels.Select(v => (float)v)];

    /// <summary>The fixtures' tint (R = v, G = ⌊v/2⌋, B = 255 − v) as [channel, row, column].</summary>
    private static float[] Tinted(byte[] grey) =>
        [.. grey.Select(v => (float)v), .. grey.Select(v => (float)(v / 2)), .. grey.Select(v => 255f - v)];
}
