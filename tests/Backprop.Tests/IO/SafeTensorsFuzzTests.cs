using System.Buffers.Binary;
using System.Diagnostics;
using Backprop.IO;

namespace Backprop.Tests.IO;

/// <summary>Random damage to a valid file must end in a parsed file or a <see cref="ModelFormatException"/>, never in another exception.</summary>
public class SafeTensorsFuzzTests
{
    private const int Cases = 4000;

    [Fact]
    public void Read_OfRandomlyMutatedFiles_ParsesOrThrowsModelFormatException_AndNothingElse()
    {
        byte[] valid = ValidFile();
        var random = new Random(20240611);
        var failures = new List<string>();
        int parsed = 0;
        var clock = Stopwatch.StartNew();

        for (int index = 0; index < Cases; index++)
        {
            byte[] file = valid;
            var applied = new List<string>();
            int mutations = random.Next(1, 4);
            for (int m = 0; m < mutations; m++)
            {
                (file, string description) = Mutate(file, random);
                applied.Add(description);
            }

            foreach ((string path, Func<SafeTensorsFile> read) in new (string, Func<SafeTensorsFile>)[]
            {
                ("span", () => SafeTensorsReader.Read(file, "fuzz.safetensors")),
                ("stream", () => SafeTensorsReader.Read(new MemoryStream(file), "fuzz.safetensors")),
            })
            {
                try
                {
                    SafeTensorsFile result = read();
                    parsed += path == "span" ? 1 : 0;
                    foreach (SafeTensorsEntry entry in result.Entries)
                    {
                        Assert.Equal(entry.ElementCount * entry.DType.Size(), entry.Data.Length);
                    }
                }
                catch (ModelFormatException)
                {
                }
                catch (Exception exception)
                {
                    failures.Add($"case {index} ({path}; {string.Join(", ", applied)}): {exception.GetType().Name}: {exception.Message}");
                }
            }
        }

        clock.Stop();
        Assert.Empty(failures);
        // A mutation that misses every checked byte (a flip inside a float) leaves the file valid, so some parse and most must not.
        Assert.InRange(parsed, 1, Cases - 1);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"fuzzing took {clock.Elapsed}");
    }

    private static byte[] ValidFile()
    {
        var stream = new MemoryStream();
        SafeTensorsWriter.Write(
            stream,
            [
                SafeTensorsEntry.FromFloats("0.weight", [0.15f, 0.20f, 0.25f, 0.30f, 0.35f, 0.40f], 2, 3),
                new SafeTensorsEntry("0.bias", SafeTensorsDType.BF16, [2], new byte[] { 0x80, 0x3F, 0x00, 0xBF }),
                new SafeTensorsEntry("steps", SafeTensorsDType.I64, [], new byte[8]),
                new SafeTensorsEntry("empty", SafeTensorsDType.F16, [0, 3], Array.Empty<byte>()),
                SafeTensorsEntry.FromDoubles("2.weight", [1.0, -1.0], 1, 2),
            ],
            new Dictionary<string, string> { ["format"] = "pt" });
        return stream.ToArray();
    }

    private static (byte[] File, string Description) Mutate(byte[] file, Random random)
    {
        // Most damage goes to the prefix and header, where the parser's decisions are; the data section is opaque bytes.
        int headerEnd = Math.Min(file.Length, 8 + 200);
        int Position(int length) => length == 0 ? 0 : random.Next(2) == 0 ? random.Next(Math.Min(length, headerEnd)) : random.Next(length);

        switch (random.Next(6))
        {
            case 0:
            {
                if (file.Length == 0)
                {
                    return (file, "flip on empty");
                }

                byte[] copy = [.. file];
                int at = Position(copy.Length);
                int bit = random.Next(8);
                copy[at] ^= (byte)(1 << bit);
                return (copy, $"flip bit {bit} of byte {at}");
            }

            case 1:
            {
                int length = random.Next(file.Length + 1);
                return (file[..length], $"truncate to {length}");
            }

            case 2:
            {
                int at = random.Next(file.Length + 1);
                byte[] inserted = new byte[random.Next(1, 9)];
                random.NextBytes(inserted);
                return ([.. file[..at], .. inserted, .. file[at..]], $"insert {inserted.Length} bytes at {at}");
            }

            case 3:
            {
                if (file.Length < 8)
                {
                    return (file, "length change on a short file");
                }

                byte[] copy = [.. file];
                ulong length = BinaryPrimitives.ReadUInt64LittleEndian(copy);
                ulong changed = random.Next(3) switch
                {
                    0 => length + (ulong)random.Next(-16, 17),
                    1 => (ulong)random.NextInt64(),
                    _ => length << random.Next(1, 40),
                };
                BinaryPrimitives.WriteUInt64LittleEndian(copy, changed);
                return (copy, $"header length {length} -> {changed}");
            }

            case 4:
            {
                if (file.Length == 0)
                {
                    return (file, "replace on empty");
                }

                // JSON's structural characters and digits turn valid headers into nearly valid ones, the hardest to judge.
                byte[] copy = [.. file];
                const string Tricky = "{}[],:\"-0123456789.e \\";
                int at = Position(copy.Length);
                copy[at] = (byte)Tricky[random.Next(Tricky.Length)];
                return (copy, $"replace byte {at} with '{(char)copy[at]}'");
            }

            default:
            {
                if (file.Length == 0)
                {
                    return (file, "delete on empty");
                }

                int at = Position(file.Length);
                int count = Math.Min(random.Next(1, 9), file.Length - at);
                return ([.. file[..at], .. file[(at + count)..]], $"delete {count} bytes at {at}");
            }
        }
    }
}
