namespace Backprop.Cli.Data;

/// <summary>
/// The largest example the tool trains on: 196,608 values (3×256×256, or a 443×443 grey image). Memory grows with it
/// long before a model trains well (two 1024×1024 images asked for 6.4 GB); larger images are refused before the model
/// is built, with the size to ask for instead.
/// </summary>
internal static class InputLimits
{
    public const int MaxInputValues = 3 * 256 * 256;

    /// <exception cref="InvalidDataException">One example has more than <see cref="MaxInputValues"/> values.</exception>
    public static void Check(IReadOnlyList<int> exampleShape, string source)
    {
        long values = exampleShape.Aggregate(1L, (product, d) => product * d);
        if (values > MaxInputValues)
            throw new InvalidDataException($"{source}: one example is {string.Join('×', exampleShape)} = {values:N0} values, more than the {MaxInputValues:N0} (3×256×256) "
                + "backprop trains on; for an image folder give a smaller --image-size");
    }
}
