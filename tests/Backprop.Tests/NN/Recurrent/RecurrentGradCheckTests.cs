using Backprop.Autograd;
using Backprop.NN;
using static Backprop.Tests.NN.Recurrent.RecurrentTestHelpers;

namespace Backprop.Tests.NN.Recurrent;

/// <summary>Backpropagation through time against five-point finite differences, in float64.</summary>
public class RecurrentGradCheckTests
{
    private const int InputSize = 3, HiddenSize = 2, Batch = 3;

    [Theory]
    [MemberData(nameof(Kinds), MemberType = typeof(RecurrentTestHelpers))]
    public void Backward_OfOneCellStep_MatchesFiniteDifferences(string kind) =>
        AssertGradients(kind, steps: 1, numLayers: 1, withInitialState: true, lengths: null);

    [Theory]
    [MemberData(nameof(Kinds), MemberType = typeof(RecurrentTestHelpers))]
    public void Backward_ThroughASequenceOfTwoLayers_FromZeroState_MatchesFiniteDifferences(string kind) =>
        AssertGradients(kind, steps: 5, numLayers: 2, withInitialState: false, lengths: null);

    [Theory]
    [MemberData(nameof(Kinds), MemberType = typeof(RecurrentTestHelpers))]
    public void Backward_ThroughASequenceOfTwoLayers_FromAGivenState_MatchesFiniteDifferences(string kind) =>
        AssertGradients(kind, steps: 5, numLayers: 2, withInitialState: true, lengths: null);

    [Theory]
    [MemberData(nameof(Kinds), MemberType = typeof(RecurrentTestHelpers))]
    public void Backward_ThroughAPaddedBatch_MatchesFiniteDifferences(string kind) =>
        AssertGradients(kind, steps: 5, numLayers: 2, withInitialState: true, lengths: [5, 2, 4]);

    [Fact]
    public void Backward_OfABatchFirstUnbatchedAndBiaslessLayer_MatchesFiniteDifferences()
    {
        var lstm = new Lstm(InputSize, HiddenSize, bias: false, batchFirst: true, seed: 3);
        lstm.To(DType.Float64);
        var batchFirst = Random(1, Batch, 5, InputSize).RequireGrad();
        var unbatched = Random(2, 5, InputSize).RequireGrad();
        Tensor Function() => Tensor.Concat([Flatten(lstm.ForwardWithState(batchFirst)), Flatten(lstm.ForwardWithState(unbatched))], 0);
        var result = GradCheck.Run(Function, [.. lstm.Parameters(), batchFirst, unbatched]);
        Assert.True(result.Passed(1e-6), result.WorstElement);
    }

    [Fact]
    public void Backward_FromALossOverAGruIntoAnEmbedding_MatchesFiniteDifferences()
    {
        var embedding = new Embedding(5, InputSize, seed: 1);
        embedding.To(DType.Float64);
        var gru = Create("Gru", InputSize, HiddenSize, seed: 2);
        // Index 3 is used three times: its row's gradient is the sum over those uses.
        var tokens = Tensor.FromArray(new double[] { 3, 1, 3, 0, 3, 4 }, 3, 2);
        var result = GradCheck.Run(() => Flatten(gru.ForwardWithState(embedding.Forward(tokens), lengths: [3, 2])), [.. embedding.Parameters(), .. gru.Parameters()]);
        Assert.True(result.Passed(1e-6), result.WorstElement);
    }

    private static void AssertGradients(string kind, int steps, int numLayers, bool withInitialState, int[]? lengths)
    {
        var layer = Create(kind, InputSize, HiddenSize, numLayers, seed: 11);
        var input = Random(1, steps, Batch, InputSize).RequireGrad();
        var wrt = new List<Tensor>(layer.Parameters()) { input };
        Tensor? hidden = null, cell = null;
        if (withInitialState)
        {
            hidden = Random(2, numLayers, Batch, HiddenSize).RequireGrad();
            wrt.Add(hidden);
            if (layer is Lstm)
            {
                cell = Random(3, numLayers, Batch, HiddenSize).RequireGrad();
                wrt.Add(cell);
            }
        }
        var result = GradCheck.Run(() => Flatten(layer.ForwardWithState(input, hidden, cell, lengths)), wrt);
        Assert.True(result.Passed(1e-6), $"{kind}: {result.WorstElement} (max relative error {result.MaxRelativeError:G3})");
    }
}
