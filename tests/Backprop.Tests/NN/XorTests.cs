using Backprop.Losses;
using Backprop.NN;
using Backprop.Optimizers;

namespace Backprop.Tests.NN;

public class XorTests
{
    [Fact]
    public void SigmoidNetwork_LearnsXor_AndStopsWhenAllFourAreCorrect()
    {
        // XOR truth table: the classic problem a single-layer perceptron cannot solve.
        var x = Tensor.FromArray(new float[] { 0, 0, 0, 1, 1, 0, 1, 1 }, 4, 2);
        var y = Tensor.FromArray(new float[] { 0, 1, 1, 0 }, 4, 1);
        var model = new Sequential(new Dense(2, 4, seed: 1), new Sigmoid(), new Dense(4, 1, seed: 2), new Sigmoid());
        var sgd = new Sgd(model.Parameters(), learningRate: 2.0, momentum: 0.9);
        var loss = new MseLoss();
        const int maxEpochs = 5000;
        int epoch = 0;
        bool allCorrect = false;
        while (!allCorrect && epoch < maxEpochs)
        {
            epoch++;
            sgd.ZeroGrad();
            var output = model.Forward(x);
            loss.Forward(output, y).Backward();
            sgd.Step();
            var predictions = output.ToFloatArray();
            allCorrect = predictions.Select((p, i) => (p > 0.5 ? 1f : 0f) == y[i, 0]).All(c => c);
        }
        Assert.True(allCorrect, $"not all correct after {maxEpochs} epochs");
        Assert.InRange(epoch, 1, maxEpochs - 1);
    }
}
