using Backprop.IO;

namespace Backprop.Tests.IO;

public class SafeTensorsDTypeTests
{
    [Theory]
    // Names and sizes from the dtype list of the safetensors specification (huggingface/safetensors, Dtype).
    [InlineData(SafeTensorsDType.Bool, "BOOL", 1)]
    [InlineData(SafeTensorsDType.U8, "U8", 1)]
    [InlineData(SafeTensorsDType.I8, "I8", 1)]
    [InlineData(SafeTensorsDType.F8E5M2, "F8_E5M2", 1)]
    [InlineData(SafeTensorsDType.F8E4M3, "F8_E4M3", 1)]
    [InlineData(SafeTensorsDType.F8E8M0, "F8_E8M0", 1)]
    [InlineData(SafeTensorsDType.I16, "I16", 2)]
    [InlineData(SafeTensorsDType.U16, "U16", 2)]
    [InlineData(SafeTensorsDType.F16, "F16", 2)]
    [InlineData(SafeTensorsDType.BF16, "BF16", 2)]
    [InlineData(SafeTensorsDType.I32, "I32", 4)]
    [InlineData(SafeTensorsDType.U32, "U32", 4)]
    [InlineData(SafeTensorsDType.F32, "F32", 4)]
    [InlineData(SafeTensorsDType.F64, "F64", 8)]
    [InlineData(SafeTensorsDType.C64, "C64", 8)]
    [InlineData(SafeTensorsDType.I64, "I64", 8)]
    [InlineData(SafeTensorsDType.U64, "U64", 8)]
    public void NameAndSize_MatchTheSpecification_AndTheNameParsesBack(SafeTensorsDType dtype, string name, int size)
    {
        Assert.Equal(name, dtype.Name());
        Assert.Equal(size, dtype.Size());
        Assert.True(SafeTensorsDTypeInfo.TryParse(name, out SafeTensorsDType parsed));
        Assert.Equal(dtype, parsed);
    }

    [Fact]
    public void EveryDefinedValue_HasANameAndASize()
    {
        foreach (SafeTensorsDType dtype in Enum.GetValues<SafeTensorsDType>())
        {
            Assert.NotEmpty(dtype.Name());
            Assert.InRange(dtype.Size(), 1, 8);
        }
    }

    [Theory]
    [InlineData("f32")]
    [InlineData("F4")]
    [InlineData("float32")]
    [InlineData("")]
    public void TryParse_OfAnUnsupportedOrMisspelledName_ReturnsFalse(string name)
    {
        Assert.False(SafeTensorsDTypeInfo.TryParse(name, out _));
    }

    [Fact]
    public void Size_OfAnUndefinedValue_ThrowsArgumentOutOfRange()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => ((SafeTensorsDType)99).Size());
    }
}
