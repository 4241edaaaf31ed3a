using System.Buffers.Binary;
using System.Text;

namespace Backprop.Tests.IO;

/// <summary>Safetensors files put together byte by byte from the specification, for tests that must not trust the library's writer.</summary>
internal static class HandmadeSafeTensors
{
    /// <summary>8 bytes little-endian header length N, the N bytes of <paramref name="header"/> (UTF-8), then <paramref name="data"/>.</summary>
    public static byte[] Assemble(string header, List<byte> data)
    {
        byte[] json = Encoding.UTF8.GetBytes(header);
        var file = new byte[8 + json.Length + data.Count];
        BinaryPrimitives.WriteUInt64LittleEndian(file, (ulong)json.Length);
        json.CopyTo(file, 8);
        data.CopyTo(file, 8 + json.Length);
        return file;
    }
}
