using Backprop.Autograd;
using Backprop.Losses;
using Backprop.NN;
using static Backprop.Tests.NN.Recurrent.RecurrentTestHelpers;

namespace Backprop.Tests.NN.Recurrent;

/// <summary>Layouts (time-major, batch-first, unbatched), truncated BPTT and losses over sequences.</summary>
public class SequenceShapeTests
{
    private const int Steps = 6, Batch = 2, InputSize = 3, HiddenSize = 4;

    [Theory]
    [MemberData(nameof(Kinds), MemberType = typeof(RecurrentTestHelpers))]
    public void Forward_ReturnsPyTorchsShapes(string kind)
    {
        var layer = Create(kind, InputSize, HiddenSize, numLayers: 2);
        var result = layer.ForwardWithState(Random(1, Steps, Batch, InputSize));
        Assert.Equal([Steps, Batch, HiddenSize], result.Output.Shape);
        Assert.Equal([2, Batch, HiddenSize], result.Hidden.Shape);
        Assert.Equal(kind == "Lstm" ? [2, Batch, HiddenSize] : null, result.Cell?.Shape);
        Assert.Equal(result.Output.ToDoubleArray(), ((Module)layer).Forward(Random(1, Steps, Batch, InputSize)).ToDoubleArray());
        Tensor sameCallOnTheLayer = layer.Forward(Random(1, Steps, Batch, InputSize));
        Assert.Equal(result.Output.ToDoubleArray(), sameCallOnTheLayer.ToDoubleArray());
        Assert.Equal(result.Output.Select(0, Steps - 1).ToDoubleArray(), result.LastHidden.ToDoubleArray());
    }

    [Fact]
    public void BatchFirst_IsTheTimeMajorResultPermuted_AndLeavesTheStateLayoutAlone()
    {
        var timeMajor = Create("Lstm", InputSize, HiddenSize, seed: 3);
        var batchFirst = Create("Lstm", InputSize, HiddenSize, batchFirst: true, seed: 3);
        var input = Random(1, Steps, Batch, InputSize);
        var expected = timeMajor.ForwardWithState(input);
        var actual = batchFirst.ForwardWithState(input.Permute(1, 0, 2));
        Assert.Equal(expected.Output.Permute(1, 0, 2).ToDoubleArray(), actual.Output.ToDoubleArray());
        Assert.Equal(expected.Hidden.ToDoubleArray(), actual.Hidden.ToDoubleArray());
        Assert.Equal([1, Batch, HiddenSize], actual.Hidden.Shape);
    }

    [Fact]
    public void UnbatchedInput_EqualsABatchOfOne_WithoutTheBatchAxis()
    {
        var gru = Create("Gru", InputSize, HiddenSize, numLayers: 2);
        var input = Random(1, Steps, InputSize);
        var state = Random(2, 2, HiddenSize);
        var unbatched = gru.ForwardWithState(input, state);
        var batched = gru.ForwardWithState(input.Reshape(Steps, 1, InputSize), state.Reshape(2, 1, HiddenSize));
        Assert.Equal([Steps, HiddenSize], unbatched.Output.Shape);
        Assert.Equal([2, HiddenSize], unbatched.Hidden.Shape);
        Assert.Equal(batched.Output.ToDoubleArray(), unbatched.Output.ToDoubleArray());
        Assert.Equal(batched.Hidden.ToDoubleArray(), unbatched.Hidden.ToDoubleArray());
    }

    [Fact]
    public void TruncatedBptt_ChunksCarryTheStateForward_ButCutGradientsAtTheBoundary()
    {
        var lstm = Create("Lstm", InputSize, HiddenSize);
        var input = Random(1, Steps, Batch, InputSize).RequireGrad();
        var whole = lstm.ForwardWithState(input);

        var chunks = TruncatedBptt.Chunks(input, chunkLength: 4).ToList();
        Assert.Equal([4, 2], chunks.Select(c => c.Shape[0]));
        var first = lstm.ForwardWithState(chunks[0]);
        var (hidden, cell) = first.DetachState();
        var second = lstm.ForwardWithState(chunks[1], hidden, cell);

        // The forward pass is unchanged by the cut: chunk 2 continues from chunk 1's state.
        Assert.Equal(whole.Output.Narrow(0, 4, 2).ToDoubleArray(), second.Output.ToDoubleArray(), new WorkedExamples.Tolerance(1e-12));
        Assert.Equal(whole.Cell!.ToDoubleArray(), second.Cell!.ToDoubleArray(), new WorkedExamples.Tolerance(1e-12));
        // Chunk 2's loss reaches only its own two steps of input.
        second.Output.Sum().Backward();
        Assert.All(input.Grad!.Narrow(0, 0, 4).ToDoubleArray(), g => Assert.Equal(0.0, g));
        Assert.Contains(input.Grad!.Narrow(0, 4, 2).ToDoubleArray(), g => g != 0);
    }

    [Fact]
    public void ManyToOne_ClassifyingTheLastHiddenState_BackpropagatesToEveryParameter()
    {
        var gru = Create("Gru", InputSize, HiddenSize);
        var head = new Dense(HiddenSize, 3, seed: 1).To(DType.Float64);
        var logits = head.Forward(gru.ForwardWithState(Random(1, Steps, Batch, InputSize), lengths: [Steps, 3]).LastHidden);
        new CrossEntropyLoss().Forward(logits, [2, 0]).Backward();
        Assert.All(gru.Parameters().Concat(head.Parameters()), p => Assert.Contains(p.Grad!.ToDoubleArray(), g => g != 0));
    }

    [Fact]
    public void ManyToMany_ALossOverEveryStep_MatchesFiniteDifferences()
    {
        var lstm = Create("Lstm", InputSize, HiddenSize);
        var head = new Dense(HiddenSize, 3, seed: 1).To(DType.Float64);
        var input = Random(1, Steps, Batch, InputSize);
        int[] classes = [.. Enumerable.Range(0, Steps * Batch).Select(i => i % 3)];
        // Output [T, N, H] viewed as T·N rows, one prediction and one target per step of every sequence.
        Tensor Loss() => new CrossEntropyLoss().Forward(head.Forward(lstm.ForwardWithState(input).Output.Reshape(-1, HiddenSize)), classes);
        var result = GradCheck.Run(Loss, [.. lstm.Parameters(), .. head.Parameters()]);
        Assert.True(result.Passed(1e-6), result.WorstElement);
    }
}
