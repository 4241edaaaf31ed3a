using Backprop.NN;

namespace Backprop.Tests.NN.Recurrent;

/// <summary>Builds small float64 recurrent layers of each kind for the tests.</summary>
internal static class RecurrentTestHelpers
{
    public static readonly TheoryData<string> Kinds = new() { "RnnTanh", "RnnRelu", "Lstm", "Gru" };

    public static RecurrentLayer Create(string kind, int inputSize, int hiddenSize, int numLayers = 1, bool batchFirst = false, int seed = 7)
    {
        RecurrentLayer layer = kind switch
        {
            "RnnTanh" => new Rnn(inputSize, hiddenSize, numLayers, RnnNonlinearity.Tanh, batchFirst: batchFirst, seed: seed),
            "RnnRelu" => new Rnn(inputSize, hiddenSize, numLayers, RnnNonlinearity.Relu, batchFirst: batchFirst, seed: seed),
            "Lstm" => new Lstm(inputSize, hiddenSize, numLayers, batchFirst: batchFirst, seed: seed),
            "Gru" => new Gru(inputSize, hiddenSize, numLayers, batchFirst: batchFirst, seed: seed),
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown kind"),
        };
        layer.To(DType.Float64);
        return layer;
    }

    public static Tensor Random(int seed, params int[] shape) => Tensor.RandomNormal(shape, seed, dtype: DType.Float64);

    /// <summary>Output, final hidden state and (LSTM) cell flattened into one vector, so one check covers all three.</summary>
    public static Tensor Flatten(RecurrentOutput result)
    {
        var parts = new List<Tensor> { result.Output.Reshape(-1), result.Hidden.Reshape(-1) };
        if (result.Cell is not null) parts.Add(result.Cell.Reshape(-1));
        return Tensor.Concat(parts, 0);
    }
}
