using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Backprop.Data;

namespace Backprop.Images;

/// <summary>
/// How an image file becomes a network's input: decoded (EXIF orientation applied, transparency composited onto white,
/// 16-bit and CMYK converted to 8-bit RGB), cropped to the target's aspect ratio around its centre, resized to
/// <see cref="Width"/>×<see cref="Height"/> and turned into <see cref="ColorMode"/>'s channels: floats 0–255, shape
/// [channels, height, width]. Scaling to [0, 1] and normalisation are the model's first layer
/// (<see cref="NN.ChannelNormalize"/>), so they travel in the model file and its ONNX export.
/// </summary>
/// <remarks>
/// The aspect ratio is kept: an image whose aspect differs from the target's loses the excess of its longer side,
/// equally from both ends (a centre crop), then is resized (linear filtering with mipmaps, so shrinking averages
/// neighbouring pixels). An image already of the target size is used as decoded.
/// </remarks>
/// <param name="Width">Columns of the result, ≥ 1.</param>
/// <param name="Height">Rows of the result, ≥ 1.</param>
/// <param name="ColorMode">One channel (grey) or three (RGB).</param>
/// <example>
/// <code>
/// var transform = new ImageTransform(32, 32, ColorMode.Rgb);
/// float[] pixels = transform.Load("photo.jpg");    // 3 × 32 × 32 values 0–255
/// </code>
/// </example>
public sealed record ImageTransform(int Width, int Height, ColorMode ColorMode)
{
    /// <summary>The <c>"kind"</c> of the preprocessing JSON this transform writes in a model file.</summary>
    public const string PreprocessingKind = "image";

    /// <summary>Channels of the result: 1 for grey, 3 for RGB.</summary>
    public int Channels => ColorMode == ColorMode.Gray ? 1 : 3;

    /// <summary>One example's shape: [channels, height, width].</summary>
    public int[] Shape => [Channels, Height, Width];

    /// <summary>Values per example: channels × height × width.</summary>
    public int Length => Channels * Height * Width;

    /// <summary>Decodes <paramref name="path"/> and returns its pixels, [channels, height, width] floats 0–255.</summary>
    /// <exception cref="DataFormatException">The file is not an image this decoder reads, is truncated or corrupt, or declares more than <see cref="ImageDecoder.MaxPixels"/> pixels.</exception>
    public float[] Load(string path)
    {
        var pixels = new float[Length];
        ToFloats(ImageDecoder.Decode(path, this), pixels);
        return pixels;
    }

    /// <summary>This transform as the <see cref="IO.ModelDescription.Preprocessing"/> of a model file.</summary>
    public JsonObject ToPreprocessing() => new()
    {
        ["kind"] = PreprocessingKind,
        ["width"] = Width,
        ["height"] = Height,
        ["color_mode"] = ColorMode == ColorMode.Gray ? "gray" : "rgb",
        ["resize"] = "center-crop",
    };

    /// <summary>Reads a transform written by <see cref="ToPreprocessing"/>.</summary>
    /// <param name="preprocessing">The JSON object.</param>
    /// <param name="sourceName">The model file, for error messages.</param>
    /// <exception cref="IO.ModelFormatException">The object is not an image preprocessing, or a field is missing or out of range.</exception>
    public static ImageTransform FromPreprocessing(JsonObject preprocessing, string sourceName)
    {
        ArgumentNullException.ThrowIfNull(preprocessing);
        ArgumentNullException.ThrowIfNull(sourceName);
        if (Text(preprocessing["kind"]) != PreprocessingKind)
            throw new IO.ModelFormatException(sourceName, $"its preprocessing is not of kind \"{PreprocessingKind}\"");
        int width = Size(preprocessing["width"], "width", sourceName), height = Size(preprocessing["height"], "height", sourceName);
        var mode = Text(preprocessing["color_mode"]) switch
        {
            "gray" => ColorMode.Gray,
            "rgb" => ColorMode.Rgb,
            _ => throw new IO.ModelFormatException(sourceName, "its image preprocessing needs \"color_mode\": \"gray\" or \"rgb\""),
        };
        return new ImageTransform(width, height, mode);
    }

    /// <summary>Parses <c>32</c> (square) or <c>32x48</c> (width × height).</summary>
    /// <exception cref="FormatException">The text is not one or two whole numbers from 1 to <see cref="ImageDecoder.MaxSide"/>.</exception>
    public static (int Width, int Height) ParseSize(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parts = text.Split('x', 'X', '×');
        if (parts.Length is 1 or 2 && parts.All(IsSide))
        {
            int width = int.Parse(parts[0], CultureInfo.InvariantCulture);
            return (width, parts.Length == 1 ? width : int.Parse(parts[1], CultureInfo.InvariantCulture));
        }
        throw new FormatException($"image size '{IO.Quote.Short(text)}' must be N or WxH with whole numbers from 1 to {ImageDecoder.MaxSide}, e.g. 32 or 32x48");
    }

    /// <inheritdoc />
    public override string ToString() => $"{Width}×{Height} {(ColorMode == ColorMode.Gray ? "gray" : "rgb")}";

    /// <summary>Turns decoded bytes (height × width grey values, or height × width × 3 RGB) into this transform's channels-first floats.</summary>
    internal void ToFloats(ReadOnlySpan<byte> pixels, Span<float> destination)
    {
        int plane = Width * Height;
        if (ColorMode == ColorMode.Gray)
        {
            for (int i = 0; i < plane; i++) destination[i] = pixels[i];
            return;
        }
        for (int i = 0; i < plane; i++)
        {
            destination[i] = pixels[3 * i];
            destination[plane + i] = pixels[3 * i + 1];
            destination[2 * plane + i] = pixels[3 * i + 2];
        }
    }

    private static bool IsSide(string part) =>
        int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out int side) && side >= 1 && side <= ImageDecoder.MaxSide;

    private static string? Text(JsonNode? node) => node is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : null;

    private static int Size(JsonNode? node, string name, string sourceName) =>
        node is JsonValue value && value.GetValueKind() == JsonValueKind.Number && value.TryGetValue(out int size) && size >= 1 && size <= ImageDecoder.MaxSide
            ? size
            : throw new IO.ModelFormatException(sourceName, $"its image preprocessing needs \"{name}\": a whole number from 1 to {ImageDecoder.MaxSide}");
}
