using System.CommandLine;
using System.CommandLine.Parsing;
using Backprop.Cli.Data;
using Backprop.Images;

namespace Backprop.Cli.Commands;

/// <summary>
/// The options that shape images read from a folder (<c>--data DIR</c> that holds no IDX files): size, colour mode,
/// augmentation and what to do with unreadable files. <c>train</c> takes them all; <c>evaluate</c> and <c>predict</c>
/// take <c>--skip-bad-images</c> only, since the model file says how its images are prepared.
/// </summary>
internal sealed class ImageOptions
{
    private readonly Option<(int Width, int Height)?> _size = new("--image-size")
    {
        Description = "Resize image-folder images to N×N or WxH pixels, keeping the aspect with a centre crop (default: the size all images share, else 32)",
        CustomParser = ParseSize,
        HelpName = "32|32x48",
    };
    private readonly Option<string?> _colorMode = new("--color-mode")
    {
        Description = "Channels of image-folder images: gray (1) or rgb (3) (default: gray when every file is stored grey, else rgb)",
        CustomParser = result => result.Tokens.Count == 0 ? null : OptionValues.OneOf("--color-mode", ["gray", "rgb"])(result),
        HelpName = "gray|rgb",
    };
    private readonly Option<ImageAugmentation> _augment = new("--augment")
    {
        Description = "Augment training images, comma-separated: flip (mirror, p=½), crop (pad 4, random crop), shift (±10%); seeded (default: none)",
        CustomParser = ParseAugmentation,
        HelpName = "flip,crop,shift",
    };
    private readonly Option<bool> _skipBadImages = SkipBadImages();

    /// <summary><c>--skip-bad-images</c>, for the commands that read image folders.</summary>
    public static Option<bool> SkipBadImages() => new("--skip-bad-images")
    {
        Description = "Leave out unreadable image files and empty class folders with a warning that lists them, instead of stopping at the first",
    };

    public void AddTo(Command command)
    {
        command.Options.Add(_size);
        command.Options.Add(_colorMode);
        command.Options.Add(_augment);
        command.Options.Add(_skipBadImages);
    }

    public ImageSettings Settings(ParseResult parseResult) => new(
        parseResult.GetValue(_size),
        parseResult.GetValue(_colorMode) switch { "gray" => ColorMode.Gray, "rgb" => ColorMode.Rgb, _ => null },
        parseResult.GetValue(_augment),
        parseResult.GetValue(_skipBadImages));

    private static (int Width, int Height)? ParseSize(ArgumentResult result)
    {
        if (result.Tokens.Count == 0) return null;
        try
        {
            return ImageTransform.ParseSize(result.Tokens[^1].Value);
        }
        catch (FormatException e)
        {
            result.AddError($"--image-size: {e.Message}.");
            return null;
        }
    }

    private static ImageAugmentation ParseAugmentation(ArgumentResult result)
    {
        var augmentation = ImageAugmentation.None;
        foreach (string part in result.Tokens.SelectMany(token => token.Value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)))
        {
            augmentation |= part switch
            {
                "flip" => ImageAugmentation.Flip,
                "crop" => ImageAugmentation.Crop,
                "shift" => ImageAugmentation.Shift,
                _ => Invalid(part),
            };
        }
        return augmentation;

        ImageAugmentation Invalid(string part)
        {
            result.AddError($"--augment: '{IO.Quote.Short(part)}' is not one of flip, crop, shift.");
            return ImageAugmentation.None;
        }
    }
}
