namespace Backprop.IO;

/// <summary>
/// What <see cref="ModelFiles.LoadWeights"/> did: the tensors it loaded and, when not strict, the
/// ones it could not match. Names are the model's (PyTorch-style) names, e.g. <c>0.weight</c>.
/// </summary>
public sealed class WeightLoadReport
{
    internal WeightLoadReport(IReadOnlyList<string> loaded, IReadOnlyList<string> missing, IReadOnlyList<string> unexpected, IReadOnlyList<string> mismatched)
    {
        Loaded = loaded;
        Missing = missing;
        Unexpected = unexpected;
        Mismatched = mismatched;
    }

    /// <summary>Parameters and buffers whose values were replaced by the file's.</summary>
    public IReadOnlyList<string> Loaded { get; }

    /// <summary>Parameters and buffers of the model that the file does not have (left unchanged).</summary>
    public IReadOnlyList<string> Missing { get; }

    /// <summary>Tensors of the file that the model does not have (ignored).</summary>
    public IReadOnlyList<string> Unexpected { get; }

    /// <summary>Tensors present in both whose shape or dtype does not fit, each with the reason, e.g. <c>0.weight: file [3, 2], model [2, 3]</c> (left unchanged).</summary>
    public IReadOnlyList<string> Mismatched { get; }

    /// <summary>True when every tensor of the model was loaded and the file had nothing else.</summary>
    public bool IsComplete => Missing.Count == 0 && Unexpected.Count == 0 && Mismatched.Count == 0;

    /// <summary>The problems on one line, e.g. <c>missing: 2.bias; unexpected: fc.weight</c>, or <c>all N tensors loaded</c>.</summary>
    public override string ToString() => IsComplete ? $"all {Loaded.Count} tensors loaded" : Problems();

    internal string Problems()
    {
        var parts = new List<string>();
        if (Missing.Count > 0) parts.Add($"missing from the file: {string.Join(", ", Missing)}");
        if (Unexpected.Count > 0) parts.Add($"not in the model: {string.Join(", ", Unexpected)}");
        if (Mismatched.Count > 0) parts.Add($"mismatched: {string.Join("; ", Mismatched)}");
        return string.Join("; ", parts);
    }
}
