namespace Backprop.IO;

/// <summary>
/// The element types a safetensors file can declare in a tensor's <c>"dtype"</c> field, all stored
/// little-endian. <see cref="SafeTensorsDTypeInfo.Name"/> gives the spelling used in the header
/// (<c>"F32"</c>, <c>"BF16"</c>, <c>"F8_E4M3"</c>...) and <see cref="SafeTensorsDTypeInfo.Size"/>
/// the bytes per element.
/// </summary>
/// <remarks>
/// The sub-byte types of the reference implementation (<c>F4</c>, <c>F6_E2M3</c>, <c>F6_E3M2</c>)
/// are not listed: their byte length is not element count times a whole size, and no model this
/// library reads or writes uses them. A file that declares them is rejected as unsupported.
/// </remarks>
public enum SafeTensorsDType
{
    /// <summary><c>"BOOL"</c>: one byte per element, 0 is false.</summary>
    Bool,

    /// <summary><c>"U8"</c>: unsigned 8-bit integer.</summary>
    U8,

    /// <summary><c>"I8"</c>: signed 8-bit integer.</summary>
    I8,

    /// <summary><c>"F8_E5M2"</c>: 8-bit float, 5 exponent bits, 2 mantissa bits.</summary>
    F8E5M2,

    /// <summary><c>"F8_E4M3"</c>: 8-bit float, 4 exponent bits, 3 mantissa bits.</summary>
    F8E4M3,

    /// <summary><c>"F8_E8M0"</c>: 8-bit power-of-two scale (exponent only).</summary>
    F8E8M0,

    /// <summary><c>"I16"</c>: signed 16-bit integer.</summary>
    I16,

    /// <summary><c>"U16"</c>: unsigned 16-bit integer.</summary>
    U16,

    /// <summary><c>"F16"</c>: IEEE 754 half precision (<see cref="Half"/>).</summary>
    F16,

    /// <summary><c>"BF16"</c>: bfloat16, the upper 16 bits of an IEEE 754 single.</summary>
    BF16,

    /// <summary><c>"I32"</c>: signed 32-bit integer.</summary>
    I32,

    /// <summary><c>"U32"</c>: unsigned 32-bit integer.</summary>
    U32,

    /// <summary><c>"F32"</c>: IEEE 754 single precision.</summary>
    F32,

    /// <summary><c>"F64"</c>: IEEE 754 double precision.</summary>
    F64,

    /// <summary><c>"C64"</c>: complex number as two F32 (real, imaginary).</summary>
    C64,

    /// <summary><c>"I64"</c>: signed 64-bit integer.</summary>
    I64,

    /// <summary><c>"U64"</c>: unsigned 64-bit integer.</summary>
    U64,
}

/// <summary>The header names and element sizes of <see cref="SafeTensorsDType"/>.</summary>
public static class SafeTensorsDTypeInfo
{
    private static readonly string[] Names =
        ["BOOL", "U8", "I8", "F8_E5M2", "F8_E4M3", "F8_E8M0", "I16", "U16", "F16", "BF16",
         "I32", "U32", "F32", "F64", "C64", "I64", "U64"];

    private static readonly int[] Sizes = [1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 4, 4, 4, 8, 8, 8, 8];

    /// <summary>The bytes one element takes in the data section, e.g. 4 for <c>F32</c>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="dtype"/> is not a defined value.</exception>
    public static int Size(this SafeTensorsDType dtype) => Sizes[IndexOf(dtype)];

    /// <summary>The spelling in the header's <c>"dtype"</c> field, e.g. <c>"BF16"</c>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="dtype"/> is not a defined value.</exception>
    public static string Name(this SafeTensorsDType dtype) => Names[IndexOf(dtype)];

    /// <summary>Finds the dtype whose header spelling is exactly <paramref name="name"/> (case-sensitive, as in the format).</summary>
    /// <returns><see langword="true"/> when <paramref name="name"/> is a supported dtype.</returns>
    public static bool TryParse(string name, out SafeTensorsDType dtype)
    {
        int index = Array.IndexOf(Names, name);
        dtype = (SafeTensorsDType)Math.Max(index, 0);
        return index >= 0;
    }

    /// <summary>The supported header spellings, for error messages that say what was expected.</summary>
    internal static string SupportedNames => string.Join(", ", Names);

    private static int IndexOf(SafeTensorsDType dtype)
    {
        int index = (int)dtype;
        if ((uint)index >= (uint)Names.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(dtype), dtype, $"{dtype} is not a safetensors dtype.");
        }

        return index;
    }
}
