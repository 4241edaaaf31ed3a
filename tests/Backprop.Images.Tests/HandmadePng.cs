using System.Buffers.Binary;
using System.IO.Compression;

namespace Backprop.Images.Tests;

/// <summary>
/// PNG files written byte by byte (signature, IHDR, IDAT, IEND with their CRCs), for what an encoder will not make:
/// a header declaring 30000×30000 pixels over a few rows of data, 16-bit grey levels.
/// </summary>
internal static class HandmadePng
{
    /// <summary>A PNG declaring width × height pixels of the given bit depth and colour type, holding <paramref name="rows"/> rows of <paramref name="rowBytes"/> bytes each.</summary>
    public static byte[] Make(int width, int height, byte bitDepth, byte colorType, int rows, int rowBytes, Func<int, int, byte>? value = null)
    {
        var header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, width);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), height);
        header[8] = bitDepth;
        header[9] = colorType;
        var raw = new byte[rows * (rowBytes + 1)];
        for (int r = 0; r < rows; r++)
            for (int i = 0; i < rowBytes; i++) raw[r * (rowBytes + 1) + 1 + i] = value?.Invoke(r, i) ?? 0;
        using var packed = new MemoryStream();
        using (var zlib = new ZLibStream(packed, CompressionLevel.SmallestSize)) zlib.Write(raw);
        return [0x89, (byte)'P', (byte)'N', (byte)'G', 13, 10, 26, 10, .. Chunk("IHDR", header), .. Chunk("IDAT", packed.ToArray()), .. Chunk("IEND", [])];
    }

    /// <summary>A few kilobytes that declare 30000×30000 grey pixels (900 megapixels): a decompression bomb's header.</summary>
    public static byte[] Bomb() => Make(30000, 30000, 8, 0, rows: 4, rowBytes: 30000);

    private static byte[] Chunk(string type, byte[] data)
    {
        byte[] typeBytes = [.. type.Select(c => (byte)c)];
        var result = new byte[12 + data.Length];
        BinaryPrimitives.WriteInt32BigEndian(result, data.Length);
        typeBytes.CopyTo(result, 4);
        data.CopyTo(result, 8);
        BinaryPrimitives.WriteUInt32BigEndian(result.AsSpan(8 + data.Length), Crc32([.. typeBytes, .. data]));
        return result;
    }

    // PNG's CRC-32 (ISO 3309, polynomial 0xEDB88320), bit by bit: a few hundred bytes per file.
    private static uint Crc32(byte[] bytes)
    {
        uint crc = 0xFFFFFFFF;
        foreach (byte b in bytes)
        {
            crc ^= b;
            for (int k = 0; k < 8; k++) crc = (crc & 1) != 0 ? 0xEDB88320 ^ (crc >> 1) : crc >> 1;
        }
        return ~crc;
    }
}
