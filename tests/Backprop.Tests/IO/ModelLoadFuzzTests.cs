using System.Diagnostics;
using System.Text;
using Backprop.IO;
using Backprop.NN;

namespace Backprop.Tests.IO;

/// <summary>Damaged model files must end in a loaded model or a clean error, never in another exception or a huge allocation.</summary>
public class ModelLoadFuzzTests
{
    public static TheoryData<string, int> Models => new() { { "mlp", 3000 }, { "cnn", 1500 }, { "recurrent", 1500 } };

    private static Sequential Build(string name) => name switch
    {
        "mlp" => new Sequential(new Dense(4, 3, seed: 1), new LeakyReLU(0.2), new Dense(3, 2, bias: false, seed: 2), new ELU(), new Softmax()),
        "cnn" => new Sequential(
            new Conv2d(1, 2, 3, padding: 1, seed: 1), new BatchNorm2d(2), new MaxPool2d(2), new AvgPool2d(2, stride: 1), new Dropout(0.5, seed: 2),
            new GlobalAvgPool2d(), new Flatten(), new LayerNorm([2])),
        _ => new Sequential(
            new Standardize([0f, 1f], [1f, 2f]), new Embedding(5, 2, seed: 1), new Lstm(2, 2, numLayers: 2, seed: 2), new Gru(2, 2, batchFirst: true, seed: 3),
            new Rnn(2, 2, nonlinearity: RnnNonlinearity.Relu, seed: 4), new BatchNorm1d(2)),
    };

    [Theory]
    [MemberData(nameof(Models))]
    public void ModelLoad_OfRandomlyDamagedFiles_LoadsOrThrowsOnlyModelFormatException(string name, int cases)
    {
        var model = Build(name);
        var valid = new MemoryStream();
        SafeTensorsWriter.Write(valid, ModelTensors.ToEntries(model), ModelFiles.Metadata(model));
        byte[] bytes = valid.ToArray();
        string architecture = ModelFiles.Metadata(model)[ModelFiles.ArchitectureKey];
        var random = new Random(20250101);
        var failures = new List<string>();
        int loaded = 0;
        var clock = Stopwatch.StartNew();

        for (int index = 0; index < cases; index++)
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
        Assert.InRange(loaded, 1, cases - 1);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"{cases} cases took {clock.Elapsed}");
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
