using Backprop.NN;
using Backprop.Tests.WorkedExamples;
using static Backprop.Tests.NN.Recurrent.RecurrentTestHelpers;

namespace Backprop.Tests.NN.Recurrent;

/// <summary>A padded batch with lengths gives each sequence exactly what it gives alone.</summary>
public class PaddedBatchTests
{
    private const int Steps = 5, InputSize = 3, HiddenSize = 4;
    private static readonly int[] Lengths = [5, 2, 4];

    [Theory]
    [MemberData(nameof(Kinds), MemberType = typeof(RecurrentTestHelpers))]
    public void PaddedBatch_GivesEachSequenceItsOwnOutputsStatesAndGradients(string kind)
    {
        var layer = Create(kind, InputSize, HiddenSize, numLayers: 2);
        int batch = Lengths.Length;
        // Padding filled with large values: if any leaked into a result, the comparison would show it.
        var input = Random(1, Steps, batch, InputSize).MultiplyScalar(5).RequireGrad();
        var hidden = Random(2, 2, batch, HiddenSize).RequireGrad();
        var cell = layer is Lstm ? Random(3, 2, batch, HiddenSize).RequireGrad() : null;
        var outputWeights = Random(4, Steps, batch, HiddenSize);
        var stateWeights = Random(5, 2, batch, HiddenSize);

        var together = layer.ForwardWithState(input, hidden, cell, Lengths);
        Loss(together, outputWeights, stateWeights).Backward();
        var parameterGradients = layer.Parameters().Select(p => p.Grad!.ToDoubleArray()).ToArray();
        var summedAlone = layer.Parameters().Select(p => new double[p.Length]).ToArray();

        for (int n = 0; n < batch; n++)
        {
            int length = Lengths[n];
            foreach (var p in layer.Parameters()) p.Grad = null;
            var inputAlone = input.Detach().Narrow(1, n, 1).Narrow(0, 0, length).Clone().RequireGrad();
            var hiddenAlone = hidden.Detach().Narrow(1, n, 1).Clone().RequireGrad();
            var cellAlone = cell?.Detach().Narrow(1, n, 1).Clone().RequireGrad();
            var alone = layer.ForwardWithState(inputAlone, hiddenAlone, cellAlone);
            Loss(alone, outputWeights.Narrow(1, n, 1).Narrow(0, 0, length), stateWeights.Narrow(1, n, 1)).Backward();

            var comparer = new Tolerance(1e-12); // same arithmetic per row; a GEMM may only reorder sums
            Assert.Equal(alone.Output.ToDoubleArray(), together.Output.Narrow(1, n, 1).Narrow(0, 0, length).ToDoubleArray(), comparer);
            Assert.All(together.Output.Narrow(1, n, 1).Narrow(0, length, Steps - length).ToDoubleArray(), v => Assert.Equal(0.0, v));
            Assert.Equal(alone.Hidden.ToDoubleArray(), together.Hidden.Narrow(1, n, 1).ToDoubleArray(), comparer);
            if (cell is not null) Assert.Equal(alone.Cell!.ToDoubleArray(), together.Cell!.Narrow(1, n, 1).ToDoubleArray(), comparer);
            Assert.Equal(inputAlone.Grad!.ToDoubleArray(), input.Grad!.Narrow(1, n, 1).Narrow(0, 0, length).ToDoubleArray(), comparer);
            Assert.All(input.Grad!.Narrow(1, n, 1).Narrow(0, length, Steps - length).ToDoubleArray(), g => Assert.Equal(0.0, g));
            Assert.Equal(hiddenAlone.Grad!.ToDoubleArray(), hidden.Grad!.Narrow(1, n, 1).ToDoubleArray(), comparer);
            if (cell is not null) Assert.Equal(cellAlone!.Grad!.ToDoubleArray(), cell.Grad!.Narrow(1, n, 1).ToDoubleArray(), comparer);
            var parameters = layer.Parameters().ToArray();
            for (int i = 0; i < parameters.Length; i++)
            {
                var g = parameters[i].Grad!.ToDoubleArray();
                for (int k = 0; k < g.Length; k++) summedAlone[i][k] += g[k];
            }
        }
        for (int i = 0; i < parameterGradients.Length; i++) Assert.Equal(summedAlone[i], parameterGradients[i], new Tolerance(1e-12));
    }

    [Fact]
    public void Lengths_AllFull_GiveTheSameResultAsNoLengths()
    {
        var gru = Create("Gru", InputSize, HiddenSize);
        var input = Random(1, Steps, 2, InputSize);
        Assert.Equal(((Module)gru).Forward(input).ToDoubleArray(), gru.ForwardWithState(input, lengths: [Steps, Steps]).Output.ToDoubleArray());
    }

    [Fact]
    public void LastHidden_WithLengths_IsTheOutputAtEachSequencesLastValidStep()
    {
        var lstm = Create("Lstm", InputSize, HiddenSize, numLayers: 2);
        var result = lstm.ForwardWithState(Random(1, Steps, 3, InputSize), lengths: Lengths);
        for (int n = 0; n < 3; n++)
            Assert.Equal(result.Output.Select(0, Lengths[n] - 1).Select(0, n).ToDoubleArray(), result.LastHidden.Select(0, n).ToDoubleArray());
    }

    private static Tensor Loss(RecurrentOutput result, Tensor outputWeights, Tensor stateWeights)
    {
        var loss = (result.Output * outputWeights).Sum() + (result.Hidden * stateWeights).Sum();
        return result.Cell is null ? loss : loss + (result.Cell * stateWeights).Sum().MultiplyScalar(0.5);
    }
}
