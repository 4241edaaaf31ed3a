using System.Buffers.Binary;
using System.Text;
using Backprop.IO;
using Backprop.NN;

namespace Backprop.Tests.IO;

/// <summary>Weights from an independent writer: files built here byte by byte from the safetensors specification.</summary>
public sealed class LoadWeightsTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("backprop-loadweights-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    // The values PyTorch's nn.Sequential(nn.Linear(3, 2), nn.ReLU(), nn.Linear(2, 1)) would store; all exact in BF16.
    private static readonly (string Name, long[] Shape, float[] Values)[] PyTorchTensors =
    [
        ("0.weight", [2, 3], [0.5f, -1.25f, 2f, 0.125f, -0.75f, 1.5f]),
        ("0.bias", [2], [0.25f, -0.5f]),
        ("2.weight", [1, 2], [3f, -2f]),
        ("2.bias", [1], [0.0625f]),
    ];

    private static Sequential Matching() => new(new Dense(3, 2, seed: 1), new ReLU(), new Dense(2, 1, seed: 2));

    /// <summary>
    /// The specification: 8 bytes little-endian header size N, N bytes of JSON {name: {dtype, shape, data_offsets}}
    /// (offsets relative to the data section), then the data, little-endian and row-major.
    /// </summary>
    private static byte[] Handmade(string dtype, IEnumerable<(string Name, long[] Shape, float[] Values)> tensors)
    {
        int size = dtype == "BF16" ? 2 : 4;
        var header = new StringBuilder("{\"__metadata__\":{\"format\":\"pt\"}");
        var data = new List<byte>();
        foreach (var (name, shape, values) in tensors)
        {
            header.Append($",\"{name}\":{{\"dtype\":\"{dtype}\",\"shape\":[{string.Join(",", shape)}],\"data_offsets\":[{data.Count},{data.Count + values.Length * size}]}}");
            foreach (float value in values)
            {
                int bits = BitConverter.SingleToInt32Bits(value);
                if (dtype == "BF16") { data.Add((byte)(bits >> 16)); data.Add((byte)(bits >> 24)); }
                else { data.Add((byte)bits); data.Add((byte)(bits >> 8)); data.Add((byte)(bits >> 16)); data.Add((byte)(bits >> 24)); }
            }
        }
        header.Append('}');
        return HandmadeSafeTensors.Assemble(header.ToString(), data);
    }

    private string Write(byte[] bytes)
    {
        string path = Path.Combine(_folder, $"{Guid.NewGuid():N}.safetensors");
        File.WriteAllBytes(path, bytes);
        return path;
    }

    [Theory]
    [InlineData("F32")]
    [InlineData("BF16")]
    public void LoadWeights_OfAHandmadePyTorchFile_PutsEveryValueWhereTheNameSays(string dtype)
    {
        var model = Matching();
        WeightLoadReport report = model.LoadWeights(Write(Handmade(dtype, PyTorchTensors)));

        Assert.True(report.IsComplete, report.ToString());
        var first = (Dense)model[0];
        var second = (Dense)model[2];
        // Dense weight is [outputs, inputs] as nn.Linear's, so row 1 is neuron 1's incoming weights.
        Assert.Equal(-1.25, first.Weight[0, 1]);
        Assert.Equal(0.125, first.Weight[1, 0]);
        Assert.Equal(1.5, first.Weight[1, 2]);
        Assert.Equal([0.25f, -0.5f], first.Bias!.ToFloatArray());
        Assert.Equal([3f, -2f], second.Weight.ToFloatArray());
        Assert.Equal([0.0625f], second.Bias!.ToFloatArray());
        // x = (1, 1, 1): hidden = relu(0.5 − 1.25 + 2 + 0.25, 0.125 − 0.75 + 1.5 − 0.5) = (1.5, 0.375); out = 3·1.5 − 2·0.375 + 0.0625.
        Assert.Equal(3.8125, model.Forward(Tensor.Ones(1, 3)).Item());
    }

    [Fact]
    public void LoadWeights_IntoAFloat64Model_ConvertsExactly()
    {
        var model = Matching();
        model.To(DType.Float64);
        model.LoadWeights(Write(Handmade("BF16", PyTorchTensors)));
        Assert.Equal(DType.Float64, model.DType);
        Assert.Equal(3.8125, model.Forward(Tensor.Ones(DType.Float64, 1, 3)).Item());
    }

    [Fact]
    public void LoadWeights_ConvertsF16AndF64()
    {
        var entries = new[]
        {
            new SafeTensorsEntry("0.weight", SafeTensorsDType.F16, [2, 3], HalfBytes(0.5f, -1.25f, 2f, 0.125f, -0.75f, 1.5f)),
            SafeTensorsEntry.FromDoubles("0.bias", [0.25, -0.5], 2),
            SafeTensorsEntry.FromFloats("2.weight", [3f, -2f], 1, 2),
            SafeTensorsEntry.FromFloats("2.bias", [0.0625f], 1),
        };
        string path = Path.Combine(_folder, "mixed.safetensors");
        SafeTensorsWriter.Write(path, entries);
        var model = Matching();
        model.LoadWeights(path);
        Assert.Equal(3.8125, model.Forward(Tensor.Ones(1, 3)).Item());
    }

    [Fact]
    public void LoadWeights_Strict_ListsEveryMismatchInOneError_AndChangesNothing()
    {
        var tensors = PyTorchTensors.ToList();
        tensors[0] = ("0.weight", [3, 2], tensors[0].Values);   // transposed: the classic mistake
        tensors.RemoveAt(3);                                     // 2.bias missing
        tensors.Add(("fc.weight", [1], [1f]));                   // not in the model
        var model = Matching();
        float[] before = model.Parameters().SelectMany(p => p.ToFloatArray()).ToArray();

        var exception = Assert.Throws<ModelFormatException>(() => model.LoadWeights(Write(Handmade("F32", tensors))));
        Assert.Contains("missing from the file: 2.bias", exception.Message);
        Assert.Contains("not in the model: fc.weight", exception.Message);
        Assert.Contains("0.weight: file shape [3, 2], model shape [2, 3]", exception.Message);
        Assert.DoesNotContain('\n', exception.Message);
        Assert.Equal(before, model.Parameters().SelectMany(p => p.ToFloatArray()));
    }

    [Fact]
    public void LoadWeights_NotStrict_LoadsWhatMatches_AndReportsTheRest()
    {
        var tensors = PyTorchTensors.ToList();
        tensors[2] = ("2.weight", [2, 1], tensors[2].Values);
        tensors.RemoveAt(3);
        tensors.Add(("extra", [1], [1f]));
        var model = Matching();
        float[] secondWeight = ((Dense)model[2]).Weight.ToFloatArray();

        WeightLoadReport report = model.LoadWeights(Write(Handmade("F32", tensors)), strict: false);

        Assert.Equal(["0.weight", "0.bias"], report.Loaded);
        Assert.Equal(["2.bias"], report.Missing);
        Assert.Equal(["extra"], report.Unexpected);
        Assert.Equal(["2.weight: file shape [2, 1], model shape [1, 2]"], report.Mismatched);
        Assert.False(report.IsComplete);
        Assert.Equal([0.25f, -0.5f], ((Dense)model[0]).Bias!.ToFloatArray());
        Assert.Equal(secondWeight, ((Dense)model[2]).Weight.ToFloatArray());
    }

    [Fact]
    public void LoadWeights_OfANonFloatTensor_SaysItsDType()
    {
        var entries = PyTorchTensors.Select(t => SafeTensorsEntry.FromFloats(t.Name, t.Values, t.Shape)).ToList();
        entries[3] = new SafeTensorsEntry("2.bias", SafeTensorsDType.I32, [1], new byte[4]);
        string path = Path.Combine(_folder, "int.safetensors");
        SafeTensorsWriter.Write(path, entries);
        var exception = Assert.Throws<ModelFormatException>(() => Matching().LoadWeights(path));
        Assert.Contains("2.bias: file dtype I32 is not F32, F64, F16 or BF16", exception.Message);
    }

    [Fact]
    public void LoadWeights_OfATruncatedFile_ThrowsModelFormatException()
    {
        byte[] bytes = Handmade("F32", PyTorchTensors);
        string path = Write(bytes[..^3]);
        var exception = Assert.Throws<ModelFormatException>(() => Matching().LoadWeights(path));
        Assert.StartsWith(path, exception.Message);
    }

    private static byte[] HalfBytes(params float[] values)
    {
        var bytes = new byte[values.Length * 2];
        for (int i = 0; i < values.Length; i++) BinaryPrimitives.WriteHalfLittleEndian(bytes.AsSpan(i * 2), (Half)values[i]);
        return bytes;
    }
}
