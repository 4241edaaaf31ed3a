using System.Text;
using Backprop.Data;

namespace Backprop.Tests.Data.Tables;

/// <summary>
/// Random damage to valid tables must end in a table read or a <see cref="DataFormatException"/>, never another exception,
/// and each file's reading allocates a bounded amount whatever the damage claims.
/// </summary>
public class CsvFuzzTests
{
    private const int Cases = 5000;

    // Far above what reading a file of a few hundred bytes needs (buffers of 64 K chars, a tokenizer's arrays), far below a runaway.
    private const long MaxBytesPerFile = 64L * 1024 * 1024;

    private static readonly string[] Seeds =
    [
        "a,b,label\n1,2,x\n3,4,y\n5,6,x\n7,8,y\n",
        "price,rooms,city,date\n100.5,3,York,2024-01-01\n,2,Leeds,2024-02-01\n250,NA,York,2024-03-01\n80.25,1,?,2024-04-01\n120,2,Hull,2024-05-01\n",
        "\"name, full\",\"q\"\"uote\",y\n\"a\nb\",1,p\n\"c\",2,q\n\"d\",3,p\n",
        "x;y;z\n1;2;a\n3;4;b\n5;6;a\n",
        "\ufeffp1\tp2\tlabel\n0\t255\t1\n128\t64\t0\n255\t0\t1\n",
    ];

    private static readonly string[] Insertions = [",", ";", "\t", "\"", "\n", "\r", "\r\n", "\u001b", "\0", "1e300", "NaN", "-Infinity", "NA", "\ufeff", new string('9', 200), "é", "\ud800"];

    [Fact]
    public void Reading_RandomlyMutatedTables_ReadsOrThrowsDataFormatException_InBoundedMemory()
    {
        var random = new Random(20261206);
        var failures = new List<string>();
        int read = 0;
        for (int index = 0; index < Cases; index++)
        {
            string text = Seeds[random.Next(Seeds.Length)];
            int mutations = random.Next(1, 4);
            for (int m = 0; m < mutations; m++) text = Mutate(text, random);
            byte[] bytes = random.Next(8) == 0 ? Encoding.Latin1.GetBytes(text) : Encoding.UTF8.GetBytes(text);
            long before = GC.GetAllocatedBytesForCurrentThread();
            try
            {
                var data = TableData.Load(() => new MemoryStream(bytes, writable: false), "fuzz.csv", new TableOptions { Stream = random.Next(2) == 0 }, validationFraction: 0.25, seed: index);
                foreach (var batch in data.Train.Batches(0, 4, shuffle: true, seed: 1)) Assert.Equal(data.Preprocessor.FeatureCount, batch.Inputs.Shape[1]);
                read++;
            }
            catch (DataFormatException exception)
            {
                if (exception.Message.Contains('\n') || exception.Message.Contains('\u001b') || exception.Message.Length > 2000)
                    failures.Add($"case {index}: a message that is not one short line: {exception.Message[..Math.Min(200, exception.Message.Length)]}");
            }
            catch (Exception exception)
            {
                failures.Add($"case {index}: {exception.GetType().Name}: {exception.Message}");
            }
            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            if (allocated > MaxBytesPerFile) failures.Add($"case {index}: allocated {allocated:N0} bytes for a file of {bytes.Length} bytes");
        }
        Assert.Empty(failures);
        // Some damage leaves a table readable (a changed digit), much does not.
        Assert.InRange(read, 1, Cases - 1);
    }

    private static string Mutate(string text, Random random)
    {
        if (text.Length == 0) return Insertions[random.Next(Insertions.Length)];
        int at = random.Next(text.Length);
        return random.Next(6) switch
        {
            0 => text.Remove(at, 1),
            1 => text.Insert(at, Insertions[random.Next(Insertions.Length)]),
            2 => text[..at],
            3 => text.Remove(at, 1).Insert(at, ((char)random.Next(32, 127)).ToString()),
            4 => DuplicateLine(text, random),
            _ => text.Insert(at, new string(',', random.Next(1, 50))),
        };
    }

    private static string DuplicateLine(string text, Random random)
    {
        var lines = text.Split('\n');
        int line = random.Next(lines.Length);
        return string.Join('\n', lines.Take(line + 1).Append(lines[line]).Concat(lines.Skip(line + 1)));
    }
}
