using System.Diagnostics;
using System.Text;
using Backprop.IO;
using Backprop.NN;

namespace Backprop.Tests.IO;

/// <summary>Damaged model files must end in a loaded model or a clean error, never in another exception or a huge allocation.</summary>
public class ModelLoadFuzzTests
{
    private const int Cases = 3000;

    [Fact]
    public void ModelLoad_OfRandomlyDamagedFiles_LoadsOrThrowsOnlyModelFormatException()
    {
        var model = new Sequential(new Dense(4, 3, seed: 1), new LeakyReLU(0.2), new Dense(3, 2, bias: false, seed: 2), new ELU(), new Softmax());
        var valid = new MemoryStream();
        SafeTensorsWriter.Write(valid, ModelTensors.ToEntries(model), ModelFiles.Metadata(model));
        byte[] bytes = valid.ToArray();
        string architecture = ModelFiles.Metadata(model)[ModelFiles.ArchitectureKey];
        var random = new Random(20250101);
        var failures = new List<string>();
        int loaded = 0;
        var clock = Stopwatch.StartNew();

        for (int index = 0; index < Cases; index++)
        {
            // Half the cases damage the bytes anywhere; half damage only the architecture JSON and write a valid file around it,
            // so the architecture parser is reached as often as the safetensors reader.
            byte[] file = index % 2 == 0 ? DamageBytes(bytes, random) : WithArchitecture(model, DamageText(architecture, random));
            try
            {
                Model.Load(new MemoryStream(file), "fuzz.safetensors");
                loaded++;
            }
            catch (ModelFormatException exception) when (!exception.Message.Contains('\n'))
            {
            }
            catch (Exception exception)
            {
                failures.Add($"case {index}: {exception.GetType().Name}: {exception.Message}");
            }
        }

        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures.Take(10)));
        Assert.InRange(loaded, 1, Cases - 1);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"{Cases} cases took {clock.Elapsed}");
    }

    private static byte[] DamageBytes(byte[] valid, Random random)
    {
        byte[] file = (byte[])valid.Clone();
        switch (random.Next(3))
        {
            case 0:
                for (int i = random.Next(1, 4); i > 0; i--) file[random.Next(file.Length)] = (byte)random.Next(256);
                return file;
            case 1:
                return file[..random.Next(file.Length)];
            default:
                int at = random.Next(8, file.Length);
                file[at] = (byte)"0123456789{}[]\":,-e. "[random.Next(21)];
                return file;
        }
    }

    private static string DamageText(string json, Random random)
    {
        var text = new StringBuilder(json);
        for (int i = random.Next(1, 4); i > 0; i--)
        {
            int at = random.Next(text.Length);
            switch (random.Next(4))
            {
                case 0: text.Remove(at, 1); break;
                case 1: text[at] = "0123456789{}[]\":,-e.tfn"[random.Next(23)]; break;
                case 2: text.Insert(at, random.Next(10_000_000).ToString(System.Globalization.CultureInfo.InvariantCulture)); break;
                default: text.Insert(at, "{\"type\":\"Dense\",\"inputs\":99999,\"outputs\":99999},"); break;
            }
        }
        return text.ToString();
    }

    private static byte[] WithArchitecture(Module model, string architecture)
    {
        var stream = new MemoryStream();
        SafeTensorsWriter.Write(stream, ModelTensors.ToEntries(model), new Dictionary<string, string> { [ModelFiles.ArchitectureKey] = architecture });
        return stream.ToArray();
    }
}
