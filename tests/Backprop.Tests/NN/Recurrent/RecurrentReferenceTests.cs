using Backprop.NN;
using static Backprop.Tests.NN.Recurrent.RecurrentTestHelpers;

namespace Backprop.Tests.NN.Recurrent;

/// <summary>Names, layouts and values against PyTorch's documented equations, computed here in plain doubles.</summary>
public class RecurrentReferenceTests
{
    private const int InputSize = 3, HiddenSize = 4, Batch = 2;

    [Fact]
    public void Lstm_HasPyTorchsParameterNamesAndShapes()
    {
        var names = new Lstm(5, 7, numLayers: 2).NamedParameters().Select(p => (p.Name, string.Join("x", p.Parameter.Shape)));
        Assert.Equal(
            [("weight_ih_l0", "28x5"), ("weight_hh_l0", "28x7"), ("bias_ih_l0", "28"), ("bias_hh_l0", "28"),
             ("weight_ih_l1", "28x7"), ("weight_hh_l1", "28x7"), ("bias_ih_l1", "28"), ("bias_hh_l1", "28")],
            names);
    }

    [Fact]
    public void GruAndRnn_HavePyTorchsParameterNamesAndShapes()
    {
        Assert.Equal(
            [("weight_ih_l0", "15x3"), ("weight_hh_l0", "15x5"), ("bias_ih_l0", "15"), ("bias_hh_l0", "15")],
            new Gru(3, 5).NamedParameters().Select(p => (p.Name, string.Join("x", p.Parameter.Shape))));
        Assert.Equal(
            [("weight_ih_l0", "5x3"), ("weight_hh_l0", "5x5"), ("weight_ih_l1", "5x5"), ("weight_hh_l1", "5x5")],
            new Rnn(3, 5, numLayers: 2, bias: false).NamedParameters().Select(p => (p.Name, string.Join("x", p.Parameter.Shape))));
    }

    [Fact]
    public void Initialisation_IsPyTorchsUniformInOneOverRootHidden_AndDeterministicForASeed()
    {
        var lstm = new Lstm(10, 25, seed: 5);
        double bound = 1 / Math.Sqrt(25); // PyTorch RNNBase.reset_parameters: U(−1/√hidden, 1/√hidden) for every tensor
        var all = lstm.Parameters().SelectMany(p => p.ToDoubleArray()).ToArray();
        Assert.All(all, w => Assert.InRange(w, -bound, bound));
        // The variance of U(±b) is b²/3; with 3700 draws the sample variance is within 10% of it.
        Assert.InRange(all.Select(w => w * w).Average(), 0.9 * bound * bound / 3, 1.1 * bound * bound / 3);
        Assert.Equal(lstm.WeightsHh[0].ToFloatArray(), new Lstm(10, 25, seed: 5).WeightsHh[0].ToFloatArray());
    }

    [Fact]
    public void LstmStep_EqualsPyTorchsEquations_InPlainDoubles()
    {
        var lstm = (Lstm)Create("Lstm", InputSize, HiddenSize, seed: 21);
        var (x, h, c) = (Random(1, 1, Batch, InputSize), Random(2, 1, Batch, HiddenSize), Random(3, 1, Batch, HiddenSize));
        var result = lstm.ForwardWithState(x, h, c);

        var (wih, whh, bih, bhh) = Weights(lstm);
        for (int n = 0; n < Batch; n++)
        {
            var xs = Row(x, n, InputSize);
            var hs = Row(h, n, HiddenSize);
            var cs = Row(c, n, HiddenSize);
            for (int j = 0; j < HiddenSize; j++)
            {
                // Gate order i, f, g, o: rows [k·H, (k+1)·H) of the stacked weights.
                double Pre(int gate) => Affine(wih, bih, xs, gate * HiddenSize + j) + Affine(whh, bhh, hs, gate * HiddenSize + j);
                double i = Sigmoid(Pre(0)), f = Sigmoid(Pre(1)), g = Math.Tanh(Pre(2)), o = Sigmoid(Pre(3));
                double cell = f * cs[j] + i * g;
                double hidden = o * Math.Tanh(cell);
                Assert.Equal(cell, result.Cell![0, n, j], 1e-12);
                Assert.Equal(hidden, result.Hidden[0, n, j], 1e-12);
                Assert.Equal(hidden, result.Output[0, n, j], 1e-12);
            }
        }
    }

    [Fact]
    public void GruStep_EqualsPyTorchsEquations_InPlainDoubles()
    {
        var gru = (Gru)Create("Gru", InputSize, HiddenSize, seed: 22);
        var (x, h) = (Random(4, 1, Batch, InputSize), Random(5, 1, Batch, HiddenSize));
        var result = gru.ForwardWithState(x, h);

        var (wih, whh, bih, bhh) = Weights(gru);
        for (int n = 0; n < Batch; n++)
        {
            var xs = Row(x, n, InputSize);
            var hs = Row(h, n, HiddenSize);
            for (int j = 0; j < HiddenSize; j++)
            {
                // Gate order r, z, n; the reset gate scales W_hn·h + b_hn (bias included), as PyTorch documents.
                double FromInput(int gate) => Affine(wih, bih, xs, gate * HiddenSize + j);
                double FromHidden(int gate) => Affine(whh, bhh, hs, gate * HiddenSize + j);
                double r = Sigmoid(FromInput(0) + FromHidden(0)), z = Sigmoid(FromInput(1) + FromHidden(1));
                double candidate = Math.Tanh(FromInput(2) + r * FromHidden(2));
                double hidden = (1 - z) * candidate + z * hs[j];
                Assert.Equal(hidden, result.Hidden[0, n, j], 1e-12);
                Assert.Equal(hidden, result.Output[0, n, j], 1e-12);
            }
        }
    }

    [Fact]
    public void RnnRelu_TwoLayerSequence_EqualsTheElmanRecurrence_InPlainDoubles()
    {
        var rnn = (Rnn)Create("RnnRelu", InputSize, HiddenSize, numLayers: 2, seed: 23);
        const int steps = 4;
        var x = Random(6, steps, 1, InputSize);
        var result = rnn.ForwardWithState(x);

        var below = Enumerable.Range(0, steps).Select(t => Enumerable.Range(0, InputSize).Select(k => x[t, 0, k]).ToArray()).ToArray();
        for (int layer = 0; layer < 2; layer++)
        {
            var (wih, whh, bih, bhh) = (rnn.WeightsIh[layer], rnn.WeightsHh[layer], rnn.BiasesIh[layer], rnn.BiasesHh[layer]);
            var h = new double[HiddenSize];
            for (int t = 0; t < steps; t++)
            {
                var input = below[t];
                var previous = h;
                h = Enumerable.Range(0, HiddenSize).Select(j => Math.Max(0, Affine(wih, bih, input, j) + Affine(whh, bhh, previous, j))).ToArray();
                below[t] = h;
            }
            for (int j = 0; j < HiddenSize; j++) Assert.Equal(h[j], result.Hidden[layer, 0, j], 1e-12);
        }
        for (int t = 0; t < steps; t++)
            for (int j = 0; j < HiddenSize; j++) Assert.Equal(below[t][j], result.Output[t, 0, j], 1e-12);
    }

    private static (Tensor Wih, Tensor Whh, Tensor Bih, Tensor Bhh) Weights(RecurrentLayer layer) =>
        (layer.WeightsIh[0], layer.WeightsHh[0], layer.BiasesIh[0], layer.BiasesHh[0]);

    private static double[] Row(Tensor stateLike, int n, int width) => Enumerable.Range(0, width).Select(j => stateLike[0, n, j]).ToArray();

    private static double Affine(Tensor weight, Tensor bias, double[] vector, int row) =>
        bias[row] + vector.Select((v, k) => weight[row, k] * v).Sum();

    private static double Sigmoid(double v) => 1 / (1 + Math.Exp(-v));
}
