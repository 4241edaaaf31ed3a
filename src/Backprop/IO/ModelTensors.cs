using Backprop.NN;

namespace Backprop.IO;

/// <summary>
/// Moves a module's parameters and buffers to and from safetensors entries by their PyTorch names.
/// Loading checks everything before changing anything, so a strict load that fails leaves the model as it was.
/// </summary>
internal static class ModelTensors
{
    /// <summary>Every parameter then every buffer as an entry of its own dtype (F32 or F64), named <paramref name="prefix"/> + its name.</summary>
    public static IEnumerable<SafeTensorsEntry> ToEntries(Module module, string prefix = "")
    {
        foreach (var (name, tensor) in module.NamedParameters().Concat(module.NamedBuffers()))
        {
            long[] shape = Array.ConvertAll(tensor.Dims, d => (long)d);
            yield return tensor.DType == DType.Float32
                ? SafeTensorsEntry.FromFloats(prefix + name, tensor.Span<float>(), shape)
                : SafeTensorsEntry.FromDoubles(prefix + name, tensor.Span<double>(), shape);
        }
    }

    /// <summary>
    /// Copies the entries of <paramref name="file"/> whose names start with <paramref name="prefix"/> into
    /// <paramref name="module"/>'s tensors of the same name (without the prefix), in place so optimisers
    /// holding them stay valid. Values are converted to each tensor's dtype.
    /// </summary>
    /// <exception cref="ModelFormatException"><paramref name="strict"/> and any tensor is missing, unexpected or mismatched; the message lists them all.</exception>
    public static WeightLoadReport Load(Module module, SafeTensorsFile file, string sourceName, bool strict, string prefix = "")
    {
        var targets = module.NamedParameters().Select(p => (p.Name, Tensor: p.Parameter, IsBuffer: false))
            .Concat(module.NamedBuffers().Select(b => (b.Name, Tensor: b.Buffer, IsBuffer: true))).ToList();
        var loaded = new List<(string Name, Tensor Target, SafeTensorsEntry Entry)>();
        var missing = new List<string>();
        var mismatched = new List<string>();
        var used = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (name, tensor, isBuffer) in targets)
        {
            if (!file.TryGetEntry(prefix + name, out SafeTensorsEntry? entry))
            {
                missing.Add(name);
                continue;
            }

            used.Add(entry.Name);
            string? problem = Mismatch(tensor, entry, isBuffer);
            if (problem is null) loaded.Add((name, tensor, entry));
            else mismatched.Add($"{name}: {problem}");
        }

        var unexpected = file.Entries.Where(e => e.Name.StartsWith(prefix, StringComparison.Ordinal) && !used.Contains(e.Name))
            .Select(e => e.Name[prefix.Length..]).ToList();
        var report = new WeightLoadReport([.. loaded.Select(l => l.Name)], missing, unexpected, mismatched);
        if (strict && !report.IsComplete)
            throw new ModelFormatException(sourceName, $"the weights do not match the model ({report.Problems()})");

        foreach (var (_, target, entry) in loaded)
        {
            if (entry.DType.IsInteger())
            {
                double[] integers = IntegerEntries.ToDoubles(entry);
                if (target.DType == DType.Float32) Array.ConvertAll(integers, v => (float)v).CopyTo(target.Span<float>());
                else integers.CopyTo(target.Span<double>());
            }
            else if (target.DType == DType.Float32) entry.ToFloatArray().CopyTo(target.Span<float>());
            else entry.ToDoubleArray().CopyTo(target.Span<double>());
            target.MarkChanged();
        }

        return report;
    }

    /// <summary>
    /// Why the entry cannot fill the tensor, or null when it can: the shapes must agree, and the dtype must be F32, F64,
    /// F16 or BF16, or for a buffer (PyTorch's I64 <c>num_batches_tracked</c>) an integer type whose values are exact in the buffer's type.
    /// </summary>
    private static string? Mismatch(Tensor tensor, SafeTensorsEntry entry, bool isBuffer)
    {
        bool sameShape = entry.Shape.Count == tensor.Rank && entry.Shape.Select((d, i) => d == tensor.Dims[i]).All(same => same);
        bool floating = entry.DType is SafeTensorsDType.F32 or SafeTensorsDType.F64 or SafeTensorsDType.F16 or SafeTensorsDType.BF16;
        bool integerBuffer = isBuffer && entry.DType.IsInteger();
        var reasons = new List<string>();
        if (!sameShape) reasons.Add($"file shape [{string.Join(", ", entry.Shape)}], model shape [{string.Join(", ", tensor.Dims)}]");
        if (!floating && !integerBuffer)
            reasons.Add($"file dtype {entry.DType.Name()} is not F32, F64, F16 or BF16" + (entry.DType.IsInteger() ? " (integer tensors fill only buffers, such as num_batches_tracked)" : ""));
        else if (integerBuffer && sameShape && IntegerEntries.Inexact(entry, tensor.DType) is string inexact) reasons.Add(inexact);
        return reasons.Count == 0 ? null : string.Join(", ", reasons);
    }
}
