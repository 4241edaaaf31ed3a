using Backprop.Data;

namespace Backprop.Tests.Data;

/// <summary>
/// Random damage to valid IDX files (plain and gzip, images with and without channels, labels; read from a seekable
/// and a non-seekable stream, with and without a limit) must end in a parsed file or a <see cref="DataFormatException"/>,
/// never another exception, and never allocate much more than the file could hold.
/// </summary>
public class IdxFuzzTests
{
    private const int Cases = 6000;

    // Far above the few hundred bytes a mutated file holds, far below what a lying header could ask for.
    private const long AllocationBound = 4 << 20;

    [Fact]
    public void Read_OfRandomlyMutatedIdxFiles_ParsesOrThrowsDataFormatException_InBoundedMemory()
    {
        byte[][] valid =
        [
            [.. IdxLimitTests.Header(0x803, 6, 3, 4), .. Enumerable.Range(0, 72).Select(i => (byte)(i * 7))],
            [.. IdxLimitTests.Header(0x804, 2, 3, 2, 2), .. Enumerable.Range(0, 24).Select(i => (byte)i)],
            [.. IdxLimitTests.Header(0x801, 6), 0, 1, 2, 3, 4, 5],
        ];
        valid = [.. valid, .. valid.Select(IdxLimitTests.Gzip)];
        var random = new Random(20261207);
        var failures = new List<string>();
        int parsed = 0;

        for (int index = 0; index < Cases; index++)
        {
            byte[] file = valid[random.Next(valid.Length)];
            var applied = new List<string>();
            for (int m = random.Next(1, 4); m > 0; m--)
            {
                (file, string description) = Mutate(file, random);
                applied.Add(description);
            }
            bool labels = file.Length > 3 && file[3] == 0x01;
            int? limit = random.Next(3) == 0 ? random.Next(0, 4) : null;
            Stream stream = random.Next(2) == 0 ? new MemoryStream(file) : new NonSeekableStream(file);
            long before = GC.GetAllocatedBytesForCurrentThread();
            try
            {
                if (labels) IdxReader.ReadLabels(stream, "fuzz.idx", limit);
                else IdxReader.ReadImages(stream, "fuzz.idx", limit);
                parsed++;
            }
            catch (DataFormatException)
            {
            }
            catch (Exception exception)
            {
                failures.Add($"case {index} ({string.Join(", ", applied)}): {exception.GetType().Name}: {exception.Message}");
            }
            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            if (allocated > AllocationBound) failures.Add($"case {index} ({string.Join(", ", applied)}): allocated {allocated:N0} bytes");
        }

        Assert.Empty(failures);
        Assert.InRange(parsed, 1, Cases - 1);
    }

    private static (byte[] File, string Description) Mutate(byte[] file, Random random)
    {
        var copy = (byte[])file.Clone();
        switch (random.Next(7))
        {
            case 0 when copy.Length > 0:
                int bit = random.Next(copy.Length * 8);
                copy[bit / 8] ^= (byte)(1 << (bit % 8));
                return (copy, $"flip bit {bit}");
            case 1 when copy.Length > 0:
                int at = random.Next(copy.Length);
                copy[at] = (byte)random.Next(256);
                return (copy, $"byte {at} = {copy[at]}");
            case 2:
                int length = random.Next(copy.Length + 1);
                return (copy[..length], $"truncate to {length}");
            case 3:
                int extra = random.Next(1, 64);
                return ([.. copy, .. Enumerable.Range(0, extra).Select(_ => (byte)random.Next(256))], $"append {extra}");
            case 4 when copy.Length >= 8:
                // A header size word set to something large: the lie a hostile file tells.
                int word = 4 * random.Next(1, Math.Min(5, copy.Length / 4));
                uint value = (uint)random.Next() | (random.Next(2) == 0 ? 0x80000000u : 0);
                System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(copy.AsSpan(word), value);
                return (copy, $"word {word} = {value}");
            case 5 when copy.Length > 4:
                int from = random.Next(copy.Length - 2), count = random.Next(1, copy.Length - from);
                return ([.. copy[..from], .. copy[(from + count)..]], $"delete {count} at {from}");
            default:
                return (copy.Length > 0 ? [.. copy, .. copy[..Math.Min(copy.Length, 16)]] : copy, "repeat head at end");
        }
    }

    private sealed class NonSeekableStream(byte[] content) : MemoryStream(content)
    {
        public override bool CanSeek => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    }
}
