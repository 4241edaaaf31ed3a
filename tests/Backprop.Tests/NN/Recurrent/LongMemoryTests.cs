using Backprop.Losses;
using Backprop.NN;
using Backprop.Optimizers;

namespace Backprop.Tests.NN.Recurrent;

/// <summary>
/// The vanishing-gradient contrast: the label is the first of 40 random ±1 symbols, so the only useful
/// gradient has to travel back through all 40 steps.
/// </summary>
public class LongMemoryTests
{
    private const int Steps = 40, Batch = 32, Hidden = 12, TrainingSteps = 300;

    [Fact]
    public void Lstm_RemembersTheFirstSymbolOf40_WhereAPlainRnnStaysNearChance()
    {
        var lstm = new Lstm(2, Hidden, seed: 1);
        // Forget-gate bias raised to 3 (Gers, Schmidhuber & Cummins 2000; Jozefowicz et al. 2015 use 1): with
        // PyTorch's ±1/√H init the forget gate starts near ½ and ½⁴⁰ would vanish as fast as the RNN's path.
        var forget = lstm.BiasesIh[0].ToDoubleArray();
        Array.Fill(forget, 3.0, Hidden, Hidden);
        lstm.BiasesIh[0].CopyFrom(Tensor.FromArray(forget, forget.Length));

        double lstmAccuracy = TrainAndMeasure(lstm);
        double rnnAccuracy = TrainAndMeasure(new Rnn(2, Hidden, seed: 1));

        Assert.InRange(lstmAccuracy, 0.9, 1.0);
        Assert.InRange(rnnAccuracy, 0.0, 0.7);
    }

    /// <summary>Trains the layer and a Dense head on the last hidden state; returns the accuracy on 256 fresh sequences.</summary>
    private static double TrainAndMeasure(RecurrentLayer layer)
    {
        var head = new Dense(Hidden, 2, seed: 2);
        var parameters = layer.Parameters().Concat(head.Parameters()).ToList();
        var adam = new InlineAdam(parameters, learningRate: 0.01);
        var random = new Random(3);
        var loss = new CrossEntropyLoss();
        for (int step = 0; step < TrainingSteps; step++)
        {
            var (inputs, labels) = Sequences(random, Batch);
            var value = loss.Forward(head.Forward(layer.ForwardWithState(inputs).LastHidden), labels);
            adam.ZeroGrad();
            value.Backward();
            ClipGlobalNorm(parameters, 1.0);
            adam.Step();
        }
        var (testInputs, testLabels) = Sequences(new Random(99), 256);
        using (Tensor.NoGrad())
        {
            var logits = head.Forward(layer.ForwardWithState(testInputs).LastHidden);
            return Enumerable.Range(0, testLabels.Length).Count(i => (logits[i, 1] > logits[i, 0] ? 1 : 0) == testLabels[i]) / (double)testLabels.Length;
        }
    }

    /// <summary>[Steps, batch, 2]: channel 0 a random ±1 symbol per step, channel 1 marks step 0; the label is step 0's symbol.</summary>
    private static (Tensor Inputs, int[] Labels) Sequences(Random random, int batch)
    {
        var values = new float[Steps * batch * 2];
        var labels = new int[batch];
        for (int n = 0; n < batch; n++)
        {
            labels[n] = random.Next(2);
            for (int t = 0; t < Steps; t++)
            {
                int symbol = t == 0 ? labels[n] : random.Next(2);
                values[(t * batch + n) * 2] = symbol * 2 - 1;
                values[(t * batch + n) * 2 + 1] = t == 0 ? 1 : 0;
            }
        }
        return (Tensor.FromArray(values, Steps, batch, 2), labels);
    }

    /// <summary>Rescales all gradients together so their joint L2 norm is at most <paramref name="maxNorm"/>.</summary>
    private static void ClipGlobalNorm(List<Tensor> parameters, double maxNorm)
    {
        double norm = Math.Sqrt(parameters.Sum(p => p.Grad!.ToDoubleArray().Sum(g => g * g)));
        if (norm <= maxNorm) return;
        foreach (var p in parameters) p.Grad = p.Grad!.MultiplyScalar(maxNorm / norm);
    }

    /// <summary>Adam (Kingma &amp; Ba 2015, β₁ 0.9, β₂ 0.999, ε 1e-8), written here because this branch has only Sgd.</summary>
    private sealed class InlineAdam(IEnumerable<Tensor> parameters, double learningRate) : Optimizer(parameters, learningRate)
    {
        private readonly Dictionary<int, Array> _firstMoments = [];
        private readonly Dictionary<int, Array> _secondMoments = [];

        protected override void Update<T>(int index, Span<T> parameter, ReadOnlySpan<T> gradient)
        {
            var m = State<T>(_firstMoments, index);
            var v = State<T>(_secondMoments, index);
            double firstCorrection = 1 - Math.Pow(0.9, StepCount), secondCorrection = 1 - Math.Pow(0.999, StepCount);
            for (int i = 0; i < parameter.Length; i++)
            {
                double g = double.CreateChecked(gradient[i]);
                double mi = 0.9 * double.CreateChecked(m[i]) + 0.1 * g;
                double vi = 0.999 * double.CreateChecked(v[i]) + 0.001 * g * g;
                (m[i], v[i]) = (T.CreateChecked(mi), T.CreateChecked(vi));
                parameter[i] -= T.CreateChecked(LearningRate * (mi / firstCorrection) / (Math.Sqrt(vi / secondCorrection) + 1e-8));
            }
        }
    }
}
