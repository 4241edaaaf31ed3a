using System.Buffers.Binary;

namespace Backprop.IO;

/// <summary>
/// Integer safetensors entries read into floating-point buffers: PyTorch stores counters such as BatchNorm's
/// <c>num_batches_tracked</c> as I64, and a model here keeps them as F32 or F64. A value converts only when the
/// target type holds it exactly (|v| ≤ 2²⁴ in F32, ≤ 2⁵³ in F64), so loading never rounds a count silently.
/// </summary>
internal static class IntegerEntries
{
    /// <summary>Whether <paramref name="dtype"/> is one of the integer types (BOOL counts as 0 and 1).</summary>
    public static bool IsInteger(this SafeTensorsDType dtype) => dtype is SafeTensorsDType.Bool or SafeTensorsDType.U8
        or SafeTensorsDType.I8 or SafeTensorsDType.I16 or SafeTensorsDType.U16 or SafeTensorsDType.I32
        or SafeTensorsDType.U32 or SafeTensorsDType.I64 or SafeTensorsDType.U64;

    /// <summary>The entry's integers as doubles (exact when <see cref="Inexact"/> found nothing).</summary>
    public static double[] ToDoubles(SafeTensorsEntry entry) => Array.ConvertAll(Integers(entry), value => (double)value);

    /// <summary>Why the integers cannot go into a tensor of <paramref name="target"/> type exactly, or null when they can.</summary>
    public static string? Inexact(SafeTensorsEntry entry, DType target)
    {
        Int128 limit = target == DType.Float32 ? 1 << 24 : 1L << 53;
        foreach (Int128 value in Integers(entry))
        {
            if (Int128.Abs(value) > limit)
                return FormattableString.Invariant($"file value {value} of {entry.DType.Name()} is not exact in the model's {target}");
        }
        return null;
    }

    /// <summary>Every element, read exactly (Int128 holds both I64 and U64).</summary>
    private static Int128[] Integers(SafeTensorsEntry entry)
    {
        ReadOnlySpan<byte> data = entry.Data.Span;
        int size = entry.DType.Size();
        var values = new Int128[entry.ElementCount];
        for (int i = 0; i < values.Length; i++)
        {
            var bytes = data.Slice(i * size, size);
            values[i] = entry.DType switch
            {
                SafeTensorsDType.Bool => bytes[0] != 0 ? 1 : 0,
                SafeTensorsDType.U8 => bytes[0],
                SafeTensorsDType.I8 => (sbyte)bytes[0],
                SafeTensorsDType.I16 => BinaryPrimitives.ReadInt16LittleEndian(bytes),
                SafeTensorsDType.U16 => BinaryPrimitives.ReadUInt16LittleEndian(bytes),
                SafeTensorsDType.I32 => BinaryPrimitives.ReadInt32LittleEndian(bytes),
                SafeTensorsDType.U32 => BinaryPrimitives.ReadUInt32LittleEndian(bytes),
                SafeTensorsDType.I64 => BinaryPrimitives.ReadInt64LittleEndian(bytes),
                SafeTensorsDType.U64 => BinaryPrimitives.ReadUInt64LittleEndian(bytes),
                _ => throw new InvalidOperationException($"Tensor {SafeTensorsFormat.Quote(entry.Name)} has dtype {entry.DType.Name()}, not an integer type."),
            };
        }
        return values;
    }
}
