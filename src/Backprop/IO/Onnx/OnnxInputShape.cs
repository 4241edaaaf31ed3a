using Backprop.Tensors;

namespace Backprop.IO;

/// <summary>
/// What a layer tells <see cref="OnnxExporter"/> about the per-example shape of its input (without the batch
/// axis), so that <see cref="OnnxExporter.Export"/> can work out a model's input shape when none is given.
/// </summary>
public sealed class OnnxInputShape
{
    private readonly int[]? _dimensions;

    private OnnxInputShape(int[]? dimensions, bool keepsShape)
    {
        _dimensions = dimensions;
        KeepsAnyShape = keepsShape;
    }

    /// <summary>The layer cannot tell (Conv2d takes any height and width); the caller passes the input shape.</summary>
    public static OnnxInputShape Unknown { get; } = new(null, keepsShape: false);

    /// <summary>The layer takes any shape and keeps it (elementwise layers), so the next layer tells.</summary>
    public static OnnxInputShape KeepsShape { get; } = new(null, keepsShape: true);

    /// <summary>The layer needs exactly this per-example shape, e.g. <c>[inputs]</c> for Dense.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A dimension is below 1.</exception>
    public static OnnxInputShape Of(params int[] dimensions)
    {
        ArgumentNullException.ThrowIfNull(dimensions);
        if (dimensions.Any(dimension => dimension < 1))
            throw new ArgumentOutOfRangeException(nameof(dimensions), $"OnnxInputShape: every dimension must be ≥ 1, got {ShapeMath.Format(dimensions)}.");
        return new((int[])dimensions.Clone(), keepsShape: false);
    }

    /// <summary>Whether the layer takes any shape and keeps it.</summary>
    public bool KeepsAnyShape { get; }

    /// <summary>The shape the layer needs, or null when it does not tell one.</summary>
    public int[]? Dimensions => (int[]?)_dimensions?.Clone();

    /// <inheritdoc />
    public override string ToString() => _dimensions is not null ? ShapeMath.Format(_dimensions) : KeepsAnyShape ? "keeps shape" : "unknown";
}
