using Backprop.IO;

namespace Backprop.Tests.IO;

public class SafeTensorsEntryTests
{
    [Fact]
    public void FromFloats_StoresLittleEndianF32_AndDecodesBack()
    {
        SafeTensorsEntry entry = SafeTensorsEntry.FromFloats("0.weight", [1.5f, -2f], 2);

        Assert.Equal(SafeTensorsDType.F32, entry.DType);
        Assert.Equal([2L], entry.Shape);
        // IEEE 754: 1.5f = 0x3FC00000 and -2f = 0xC0000000, stored least significant byte first.
        Assert.Equal(new byte[] { 0x00, 0x00, 0xC0, 0x3F, 0x00, 0x00, 0x00, 0xC0 }, entry.Data.ToArray());
        Assert.Equal([1.5f, -2f], entry.ToFloatArray());
        Assert.Equal([1.5, -2.0], entry.ToDoubleArray());
    }

    [Fact]
    public void FromDoubles_KeepsEveryBit()
    {
        // 0.1 has no exact binary form: the round trip must keep all 53 bits, not a float's 24.
        SafeTensorsEntry entry = SafeTensorsEntry.FromDoubles("x", [0.1, -1e300], 1, 2);

        Assert.Equal(SafeTensorsDType.F64, entry.DType);
        Assert.Equal([0.1, -1e300], entry.ToDoubleArray());
        Assert.Equal([0.1f, float.NegativeInfinity], entry.ToFloatArray());
    }

    [Fact]
    public void ToFloatArray_OfF16_WidensHalfPrecision()
    {
        // IEEE 754 binary16: 0x3C00 = 1.0, 0xC000 = -2.0, 0x3555 = 1.0101010101b × 2^-2 = 0.333251953125.
        var entry = new SafeTensorsEntry("h", SafeTensorsDType.F16, [3], new byte[] { 0x00, 0x3C, 0x00, 0xC0, 0x55, 0x35 });

        Assert.Equal([1f, -2f, 0.333251953125f], entry.ToFloatArray());
        Assert.Equal([1.0, -2.0, 0.333251953125], entry.ToDoubleArray());
    }

    [Fact]
    public void ToFloatArray_OfBF16_ShiftsTheBitsIntoTheUpperHalf()
    {
        // bfloat16 is the upper half of an F32: 0x3FC0 → 0x3FC00000 = 1.5; 0x4049 → 0x40490000 = 3.140625 (π truncated).
        var entry = new SafeTensorsEntry("b", SafeTensorsDType.BF16, [2], new byte[] { 0xC0, 0x3F, 0x49, 0x40 });

        Assert.Equal([1.5f, 3.140625f], entry.ToFloatArray());
    }

    [Fact]
    public void ScalarShape_HoldsOneElement()
    {
        SafeTensorsEntry entry = SafeTensorsEntry.FromFloats("loss", [0.25f]);

        Assert.Empty(entry.Shape);
        Assert.Equal(1, entry.ElementCount);
        Assert.Equal([0.25f], entry.ToFloatArray());
    }

    [Fact]
    public void ShapeWithAZero_HoldsNoBytes()
    {
        SafeTensorsEntry entry = SafeTensorsEntry.FromFloats("empty", [], 0, 3);

        Assert.Equal([0L, 3L], entry.Shape);
        Assert.Equal(0, entry.ElementCount);
        Assert.Empty(entry.ToFloatArray());
    }

    [Fact]
    public void Constructor_WithDataOfTheWrongLength_NamesTensorShapeAndBothByteCounts()
    {
        var exception = Assert.Throws<ArgumentException>(() => new SafeTensorsEntry("0.weight", SafeTensorsDType.F32, [2, 3], new byte[20]));

        Assert.StartsWith("Tensor '0.weight' has shape [2, 3] and dtype F32 (6 elements × 4 bytes = 24 bytes) but 20 bytes of data.", exception.Message);
        Assert.Equal("data", exception.ParamName);
    }

    [Fact]
    public void FromFloats_WithValuesThatDoNotFillTheShape_Throws()
    {
        var exception = Assert.Throws<ArgumentException>(() => SafeTensorsEntry.FromFloats("w", [1f, 2f, 3f], 2, 2));

        Assert.Contains("'w' has shape [2, 2]", exception.Message);
        Assert.Contains("16 bytes) but 12 bytes", exception.Message);
    }

    [Theory]
    [InlineData("")]
    [InlineData("__metadata__")]
    public void Constructor_WithAnEmptyOrReservedName_Throws(string name)
    {
        var exception = Assert.Throws<ArgumentException>(() => SafeTensorsEntry.FromFloats(name, [1f]));

        Assert.Equal("name", exception.ParamName);
    }

    [Fact]
    public void Constructor_WithANegativeDimension_QuotesIt()
    {
        var exception = Assert.Throws<ArgumentException>(() => new SafeTensorsEntry("w", SafeTensorsDType.U8, [2, -1], Array.Empty<byte>()));

        Assert.Contains("shape [2, -1] with dimension 1 = -1", exception.Message);
    }

    [Fact]
    public void Constructor_WithAnOverflowingShape_Throws()
    {
        // 2^32 × 2^32 elements = 2^64, one past what a signed 64-bit count holds.
        var exception = Assert.Throws<ArgumentException>(() => new SafeTensorsEntry("w", SafeTensorsDType.U8, [1L << 32, 1L << 32], Array.Empty<byte>()));

        Assert.Contains("overflows", exception.Message);
    }

    [Fact]
    public void ToFloatArray_OfAnIntegerDType_Throws()
    {
        var entry = new SafeTensorsEntry("steps", SafeTensorsDType.I64, [0], Array.Empty<byte>());

        var exception = Assert.Throws<InvalidOperationException>(entry.ToFloatArray);
        Assert.Contains("'steps' has dtype I64", exception.Message);
    }
}
