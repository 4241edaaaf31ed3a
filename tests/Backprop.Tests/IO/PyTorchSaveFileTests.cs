using System.Buffers.Binary;
using System.Text;
using Backprop.IO;
using Backprop.NN;

namespace Backprop.Tests.IO;

/// <summary>
/// A BatchNorm CNN's weights in a file laid out byte for byte as <c>safetensors.torch.save_file(model.state_dict(), path,
/// metadata={"format": "pt"})</c> writes it, built here from the published format: compact JSON with <c>__metadata__</c>
/// first, then the tensors sorted by dtype (largest alignment first: I64 before F32) and then by name, each as
/// <c>{"dtype","shape","data_offsets"}</c>, the header padded with spaces to a multiple of 8, and BatchNorm's
/// <c>num_batches_tracked</c> a 0-dimensional I64.
/// </summary>
public sealed class PyTorchSaveFileTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private const long BatchesTracked = 1875;

    // nn.Sequential(nn.Conv2d(1, 2, 3, padding=1), nn.BatchNorm2d(2), nn.ReLU(), nn.Flatten(), nn.Linear(32, 3)) on 4x4 images.
    private static Sequential Cnn() => new(new Conv2d(1, 2, 3, padding: 1, seed: 1), new BatchNorm2d(2), new ReLU(), new Flatten(), new Dense(32, 3, seed: 2));

    private static readonly (string Name, long[] Shape, float[] Values)[] FloatTensors =
    [
        ("0.weight", [2, 1, 3, 3], Values(18, 0.3f)),
        ("0.bias", [2], [0.1f, -0.2f]),
        ("1.weight", [2], [1.5f, 0.75f]),
        ("1.bias", [2], [0.05f, -0.1f]),
        ("1.running_mean", [2], [0.2f, -0.3f]),
        ("1.running_var", [2], [0.8f, 1.7f]),
        ("4.weight", [3, 32], Values(96, 0.2f)),
        ("4.bias", [3], [0.01f, 0.02f, -0.03f]),
    ];

    /// <summary>Varied, reproducible values of both signs in [−scale, scale].</summary>
    private static float[] Values(int count, float scale) => [.. Enumerable.Range(0, count).Select(i => scale * MathF.Sin(1.7f * i + 0.3f))];

    /// <summary>The file save_file writes for these tensors, with <paramref name="counter"/> as num_batches_tracked's bytes and dtype.</summary>
    private static byte[] SaveFileLayout(string counterDType, byte[] counter)
    {
        var entries = FloatTensors.Select(t => (t.Name, DType: "F32", t.Shape, Bytes: FloatBytes(t.Values)))
            .Append((Name: "1.num_batches_tracked", DType: counterDType, Shape: Array.Empty<long>(), Bytes: counter))
            .OrderByDescending(e => Alignment(e.DType)).ThenBy(e => e.Name, StringComparer.Ordinal).ToList();
        var header = new StringBuilder("{\"__metadata__\":{\"format\":\"pt\"}");
        var data = new List<byte>();
        foreach (var (name, dtype, shape, bytes) in entries)
        {
            header.Append($",\"{name}\":{{\"dtype\":\"{dtype}\",\"shape\":[{string.Join(",", shape)}],\"data_offsets\":[{data.Count},{data.Count + bytes.Length}]}}");
            data.AddRange(bytes);
        }
        header.Append('}');
        while (header.Length % 8 != 0) header.Append(' ');
        return HandmadeSafeTensors.Assemble(header.ToString(), data);
    }

    // safetensors' Dtype enum order, which is its sort key: BOOL < U8 < I32 < F32 < I64.
    private static int Alignment(string dtype) => Array.IndexOf(["BOOL", "U8", "I8", "I16", "U16", "F16", "BF16", "I32", "U32", "F32", "F64", "I64", "U64"], dtype);

    private static byte[] FloatBytes(float[] values)
    {
        var bytes = new byte[values.Length * 4];
        for (int i = 0; i < values.Length; i++) BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * 4), values[i]);
        return bytes;
    }

    private static byte[] I64(long value)
    {
        var bytes = new byte[8];
        BinaryPrimitives.WriteInt64LittleEndian(bytes, value);
        return bytes;
    }

    [Fact]
    public void LoadWeights_OfSaveFileLayout_PutsTheI64CounterFirstAndLoadsStrictly()
    {
        byte[] file = SaveFileLayout("I64", I64(BatchesTracked));
        string path = _folder.Write("cnn.safetensors", file);
        // The layout itself: the I64 tensor is the first in the header and in the data, and the header length is a multiple of 8.
        Assert.Equal(0, (long)BinaryPrimitives.ReadUInt64LittleEndian(file) % 8);
        Assert.StartsWith("{\"__metadata__\":{\"format\":\"pt\"},\"1.num_batches_tracked\":{\"dtype\":\"I64\",\"shape\":[],\"data_offsets\":[0,8]}", Encoding.UTF8.GetString(file, 8, 200));

        var model = Cnn();
        WeightLoadReport report = model.LoadWeights(path);

        Assert.True(report.IsComplete, report.ToString());
        Assert.Equal(BatchesTracked, ((BatchNorm2d)model[1]).NumBatchesTracked!.Item());
    }

    [Fact]
    public void LoadWeights_OfSaveFileLayout_GivesTheNetworkOfTheFile()
    {
        var model = Cnn();
        model.LoadWeights(_folder.Write("cnn.safetensors", SaveFileLayout("I64", I64(BatchesTracked))));
        model.Eval();
        float[] input = Values(2 * 16, 1.0f);

        float[] output = model.Forward(Tensor.FromArray(input, 2, 1, 4, 4)).ToFloatArray();

        // Reference: the same network computed naively in float64 from the file's values.
        double[] expected = [.. Reference(input, 0), .. Reference(input, 1)];
        Assert.Equal(expected.Length, output.Length);
        for (int i = 0; i < expected.Length; i++) Assert.True(Math.Abs(expected[i] - output[i]) < 1e-5, $"output {i}: {output[i]} vs {expected[i]}");
    }

    [Theory]
    [InlineData("I32", new byte[] { 0x53, 0x07, 0, 0 }, 1875)]
    [InlineData("U8", new byte[] { 200 }, 200)]
    [InlineData("BOOL", new byte[] { 1 }, 1)]
    public void LoadWeights_OfAnIntegerCounter_ReadsItsValue(string dtype, byte[] bytes, double expected)
    {
        var model = Cnn();
        model.LoadWeights(_folder.Write("cnn.safetensors", SaveFileLayout(dtype, bytes)));
        Assert.Equal(expected, ((BatchNorm2d)model[1]).NumBatchesTracked!.Item());
    }

    [Fact]
    public void LoadWeights_OfACounterBeyondTheBufferPrecision_NamesTheValue()
    {
        string path = _folder.Write("cnn.safetensors", SaveFileLayout("I64", I64((1L << 53) + 1)));
        var model = Cnn();
        var exception = Assert.Throws<ModelFormatException>(() => model.LoadWeights(path));
        Assert.Contains("1.num_batches_tracked: file value 9007199254740993 of I64 is not exact in the model's Float64", exception.Message);
        Assert.Equal(0, ((BatchNorm2d)model[1]).NumBatchesTracked!.Item());
    }

    [Fact]
    public void LoadWeights_OfAnIntegerParameter_SaysOnlyBuffersTakeIntegers()
    {
        var entries = new List<SafeTensorsEntry> { new("0.weight", SafeTensorsDType.I64, [1, 1], I64(3)), SafeTensorsEntry.FromFloats("0.bias", [0f], 1) };
        string path = _folder.File("dense.safetensors");
        SafeTensorsWriter.Write(path, entries);
        var exception = Assert.Throws<ModelFormatException>(() => new Sequential(new Dense(1, 1)).LoadWeights(path));
        Assert.Contains("0.weight: file dtype I64 is not F32, F64, F16 or BF16 (integer tensors fill only buffers", exception.Message);
    }

    /// <summary>Conv2d(1→2, 3×3, padding 1) → BatchNorm2d (running statistics, ε = 1e-5) → ReLU → flatten (c, h, w) → Linear(32→3), for image <paramref name="n"/>.</summary>
    private static double[] Reference(float[] input, int n)
    {
        float[] Get(string name) => FloatTensors.Single(t => t.Name == name).Values;
        float[] kernel = Get("0.weight"), convBias = Get("0.bias"), gamma = Get("1.weight"), beta = Get("1.bias");
        float[] mean = Get("1.running_mean"), variance = Get("1.running_var"), weight = Get("4.weight"), bias = Get("4.bias");
        var features = new double[32];
        for (int c = 0; c < 2; c++)
        for (int y = 0; y < 4; y++)
        for (int x = 0; x < 4; x++)
        {
            double sum = convBias[c];
            for (int ky = 0; ky < 3; ky++)
            for (int kx = 0; kx < 3; kx++)
            {
                int iy = y + ky - 1, ix = x + kx - 1;
                if (iy is >= 0 and < 4 && ix is >= 0 and < 4) sum += (double)kernel[c * 9 + ky * 3 + kx] * input[n * 16 + iy * 4 + ix];
            }
            double normalized = (sum - mean[c]) / Math.Sqrt(variance[c] + 1e-5) * gamma[c] + beta[c];
            features[c * 16 + y * 4 + x] = Math.Max(0, normalized);
        }
        var output = new double[3];
        for (int o = 0; o < 3; o++)
        {
            output[o] = bias[o];
            for (int i = 0; i < 32; i++) output[o] += (double)weight[o * 32 + i] * features[i];
        }
        return output;
    }
}
