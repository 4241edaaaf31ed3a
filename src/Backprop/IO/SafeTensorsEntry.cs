using System.Buffers.Binary;
using System.Collections.ObjectModel;

namespace Backprop.IO;

/// <summary>
/// One named tensor of a safetensors file: its dtype, its shape (row-major, outermost dimension
/// first, as PyTorch) and its raw little-endian bytes, exactly as they lie in the data section.
/// </summary>
/// <remarks>
/// The constructor guarantees the entry is writable: the name is not empty and not the reserved
/// <c>"__metadata__"</c>, no dimension is negative, and <c>Data.Length</c> equals the product of
/// the shape times the dtype's size. A shape of <c>[]</c> is a scalar (one element); a shape with a
/// zero, such as <c>[0, 3]</c>, has no elements and no bytes.
/// <code>
/// var weight = SafeTensorsEntry.FromFloats("0.weight", [0.15f, 0.20f, 0.25f, 0.30f], 2, 2);
/// float[] values = weight.ToFloatArray();   // { 0.15f, 0.20f, 0.25f, 0.30f }
/// </code>
/// </remarks>
public sealed class SafeTensorsEntry
{
    private readonly long[] shape;

    /// <summary>Creates an entry over <paramref name="data"/>, which is kept, not copied: do not change it afterwards.</summary>
    /// <param name="name">The tensor's key in the header, e.g. <c>"0.weight"</c>.</param>
    /// <param name="dtype">The element type of <paramref name="data"/>.</param>
    /// <param name="shape">The dimensions, outermost first; empty for a scalar.</param>
    /// <param name="data">The elements, little-endian, row-major: product(shape) × dtype size bytes.</param>
    /// <exception cref="ArgumentException">The name is empty or reserved, a dimension is negative, the byte count overflows, or the data length does not match.</exception>
    public SafeTensorsEntry(string name, SafeTensorsDType dtype, ReadOnlySpan<long> shape, ReadOnlyMemory<byte> data)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (name.Length == 0)
        {
            throw new ArgumentException("A tensor name must not be empty.", nameof(name));
        }

        if (name == SafeTensorsFormat.MetadataKey)
        {
            throw new ArgumentException($"'{SafeTensorsFormat.MetadataKey}' is reserved for the file's metadata and cannot name a tensor.", nameof(name));
        }

        int elementSize = dtype.Size();
        string quoted = SafeTensorsFormat.Quote(name);
        string shapeText = SafeTensorsFormat.FormatShape(shape);
        int negative = shape.IndexOfAnyInRange(long.MinValue, -1);
        if (negative >= 0)
        {
            throw new ArgumentException($"Tensor {quoted} has shape {shapeText} with dimension {negative} = {shape[negative]}; dimensions must be 0 or more.", nameof(shape));
        }

        if (!SafeTensorsFormat.TryGetByteLength(shape, elementSize, out long elementCount, out long byteLength))
        {
            throw new ArgumentException($"Tensor {quoted} has shape {shapeText} and dtype {dtype.Name()}, whose byte count overflows a 64-bit integer.", nameof(shape));
        }

        if (data.Length != byteLength)
        {
            throw new ArgumentException(
                $"Tensor {quoted} has shape {shapeText} and dtype {dtype.Name()} ({elementCount} elements × {elementSize} bytes = {byteLength} bytes) but {data.Length} bytes of data.",
                nameof(data));
        }

        Name = name;
        DType = dtype;
        this.shape = shape.ToArray();
        Shape = new ReadOnlyCollection<long>(this.shape);
        ElementCount = elementCount;
        Data = data;
    }

    /// <summary>The tensor's key in the header, e.g. <c>"0.weight"</c>.</summary>
    public string Name { get; }

    /// <summary>The element type of <see cref="Data"/>.</summary>
    public SafeTensorsDType DType { get; }

    /// <summary>The dimensions, outermost first; empty for a scalar.</summary>
    public IReadOnlyList<long> Shape { get; }

    /// <summary>The product of <see cref="Shape"/>: 1 for a scalar, 0 when any dimension is 0.</summary>
    public long ElementCount { get; }

    /// <summary>The elements as stored in the file: little-endian, row-major.</summary>
    public ReadOnlyMemory<byte> Data { get; }

    /// <summary>Makes an <c>F32</c> entry holding a copy of <paramref name="values"/>.</summary>
    /// <param name="name">The tensor's key in the header.</param>
    /// <param name="values">The elements, row-major.</param>
    /// <param name="shape">The dimensions, outermost first; none for a scalar. Their product must equal the number of values.</param>
    /// <exception cref="ArgumentException">As the constructor; the message gives the byte counts (4 per value).</exception>
    public static SafeTensorsEntry FromFloats(string name, ReadOnlySpan<float> values, params ReadOnlySpan<long> shape)
    {
        var bytes = new byte[values.Length * sizeof(float)];
        for (int i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * sizeof(float)), values[i]);
        }

        return new SafeTensorsEntry(name, SafeTensorsDType.F32, shape, bytes);
    }

    /// <summary>Makes an <c>F64</c> entry holding a copy of <paramref name="values"/>.</summary>
    /// <param name="name">The tensor's key in the header.</param>
    /// <param name="values">The elements, row-major.</param>
    /// <param name="shape">The dimensions, outermost first; none for a scalar. Their product must equal the number of values.</param>
    /// <exception cref="ArgumentException">As the constructor; the message gives the byte counts (8 per value).</exception>
    public static SafeTensorsEntry FromDoubles(string name, ReadOnlySpan<double> values, params ReadOnlySpan<long> shape)
    {
        var bytes = new byte[values.Length * sizeof(double)];
        for (int i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteDoubleLittleEndian(bytes.AsSpan(i * sizeof(double)), values[i]);
        }

        return new SafeTensorsEntry(name, SafeTensorsDType.F64, shape, bytes);
    }

    /// <summary>
    /// Decodes the elements as <see cref="float"/>. <c>F32</c> is exact; <c>F16</c> and <c>BF16</c>
    /// widen exactly (BF16 bits are the upper half of a single, so they are shifted left by 16);
    /// <c>F64</c> rounds to nearest.
    /// </summary>
    /// <exception cref="InvalidOperationException">The dtype is not F32, F64, F16 or BF16.</exception>
    public float[] ToFloatArray()
    {
        Func<ReadOnlySpan<byte>, float> decode = DType switch
        {
            SafeTensorsDType.F32 => BinaryPrimitives.ReadSingleLittleEndian,
            SafeTensorsDType.F64 => bytes => (float)BinaryPrimitives.ReadDoubleLittleEndian(bytes),
            SafeTensorsDType.F16 => bytes => (float)BinaryPrimitives.ReadHalfLittleEndian(bytes),
            SafeTensorsDType.BF16 => bytes => BitConverter.Int32BitsToSingle(BinaryPrimitives.ReadUInt16LittleEndian(bytes) << 16),
            _ => throw new InvalidOperationException(
                $"Tensor {SafeTensorsFormat.Quote(Name)} has dtype {DType.Name()}; only F32, F64, F16 and BF16 decode to floating point."),
        };

        ReadOnlySpan<byte> data = Data.Span;
        int elementSize = DType.Size();
        var values = new float[ElementCount];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = decode(data.Slice(i * elementSize, elementSize));
        }

        return values;
    }

    /// <summary>
    /// Decodes the elements as <see cref="double"/>; every supported dtype (<c>F64</c>, <c>F32</c>,
    /// <c>F16</c>, <c>BF16</c>) converts exactly.
    /// </summary>
    /// <exception cref="InvalidOperationException">The dtype is not F32, F64, F16 or BF16.</exception>
    public double[] ToDoubleArray()
    {
        if (DType != SafeTensorsDType.F64)
        {
            return Array.ConvertAll(ToFloatArray(), value => (double)value);
        }

        ReadOnlySpan<byte> bytes = Data.Span;
        var values = new double[ElementCount];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = BinaryPrimitives.ReadDoubleLittleEndian(bytes[(i * 8)..]);
        }

        return values;
    }

    /// <inheritdoc/>
    public override string ToString() => $"{Name} {DType.Name()} {SafeTensorsFormat.FormatShape(shape)}";
}
