namespace Backprop.Data;

/// <summary>Turns what the readers return into <see cref="Dataset"/>s the training loop takes.</summary>
public static class DatasetConversions
{
    /// <summary>
    /// MNIST images as float32 pixels scaled to [0, 1] with their digit labels: [N, C·H·W] (784 for MNIST) for dense
    /// networks, or [N, C, H, W] (NCHW, [N, 1, 28, 28] for MNIST) for convolutional ones when <paramref name="asImages"/> is true.
    /// </summary>
    public static Dataset ToDataset(this MnistSet set, bool asImages = false)
    {
        ArgumentNullException.ThrowIfNull(set);
        var images = set.Images;
        int[] shape = asImages ? [images.Count, images.Channels, images.Rows, images.Columns] : [images.Count, images.PixelsPerImage];
        // The scaled copy is fresh, so the tensor takes it over rather than copying it again (25 MB for MNIST's 8,000 images).
        return new Dataset(new Tensor(images.ToScaledFloats(), shape), set.LabelsAsInt(), classCount: 10);
    }

    /// <summary>A CSV table's features [rows, features] with its class labels, or its numeric targets [rows, 1] in regression mode.</summary>
    public static Dataset ToDataset(this CsvTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        var inputs = Tensor.FromArray(table.Features, table.Rows, table.FeatureCount);
        return table.Labels is not null
            ? new Dataset(inputs, table.Labels, table.ClassCount)
            : new Dataset(inputs, Tensor.FromArray(table.Targets!, table.Rows, 1));
    }

    /// <summary>
    /// Splits off a validation part: stratified by class for labelled data (each class split in the same
    /// proportion), shuffled otherwise; deterministic for a seed.
    /// </summary>
    public static (Dataset Train, Dataset Validation) SplitValidation(this Dataset data, double validationFraction, int seed = 0)
    {
        ArgumentNullException.ThrowIfNull(data);
        var indices = data.Labels is not null
            ? Split.Stratified(data.Labels, validationFraction, seed)
            : Split.Shuffled(data.Count, validationFraction, seed);
        return (data.Subset(indices.Train), data.Subset(indices.Validation));
    }
}
