namespace Backprop.Data;

/// <summary>One-hot encoding of class indices: label <c>c</c> becomes a row of zeros with a 1 at column <c>c</c>.</summary>
public static class OneHot
{
    /// <summary>
    /// Encodes <paramref name="labels"/> as a row-major [labels.Length, classes] matrix:
    /// <c>result[i * classes + labels[i]] = 1</c>, every other entry 0.
    /// </summary>
    /// <example>
    /// <code>
    /// float[] y = OneHot.Encode([2, 0], classes: 3); // [0, 0, 1,  1, 0, 0]
    /// </code>
    /// </example>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="classes"/> is below 1, or a label is outside 0..classes−1.</exception>
    public static float[] Encode(int[] labels, int classes)
    {
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentOutOfRangeException.ThrowIfLessThan(classes, 1);
        var encoded = new float[(long)labels.Length * classes];
        for (int i = 0; i < labels.Length; i++)
        {
            int label = labels[i];
            if ((uint)label >= (uint)classes)
                throw new ArgumentOutOfRangeException(nameof(labels), label,
                    $"labels[{i}] is {label}, outside the class range 0..{classes - 1} (classes = {classes}).");
            encoded[(long)i * classes + label] = 1f;
        }
        return encoded;
    }
}
