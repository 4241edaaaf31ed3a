namespace Backprop.Data;

/// <summary>Images and their labels, one label per image.</summary>
public sealed class MnistSet
{
    /// <summary>Pairs images with labels.</summary>
    /// <exception cref="ArgumentException">The counts differ.</exception>
    public MnistSet(IdxImages images, byte[] labels)
    {
        ArgumentNullException.ThrowIfNull(images);
        ArgumentNullException.ThrowIfNull(labels);
        if (images.Count != labels.Length)
            throw new ArgumentException($"{images.Count} images but {labels.Length} labels; each image needs one label.", nameof(labels));
        Images = images;
        Labels = labels;
    }

    /// <summary>The images, shape [Count, Rows, Columns].</summary>
    public IdxImages Images { get; }

    /// <summary>The digit (class index) of each image.</summary>
    public byte[] Labels { get; }

    /// <summary>Number of examples.</summary>
    public int Count => Labels.Length;

    /// <summary>The labels as class indices, the form losses and <see cref="OneHot"/> take.</summary>
    public int[] LabelsAsInt() => Array.ConvertAll(Labels, label => (int)label);
}
