using Backprop.Losses;
using Backprop.NN;

namespace Backprop.Tests.NN.Convolution;

/// <summary>The reference CNN of issue 5 (and ../shared/libtorch-reference), end to end.</summary>
public class ReferenceCnnTests
{
    private sealed class FlattenThenDense(Dense dense) : Module
    {
        public override Tensor Forward(Tensor input) => dense.Forward(input.Reshape(input.Shape[0], -1));
    }

    [Fact]
    public void ReferenceCnn_RunsForwardAndBackward_WithTheRightShapes()
    {
        Rng.ManualSeed(1);
        var convolutions = new Sequential(
            new Conv2d(1, 8, 3, padding: 1), new ReLU(), new MaxPool2d(2),
            new Conv2d(8, 16, 3, padding: 1), new ReLU(), new MaxPool2d(2));
        var dense = new Dense(784, 10);
        var head = new FlattenThenDense(dense);
        var images = Tensor.RandomUniform([4, 1, 28, 28], 2, 0, 1);

        var features = convolutions.Forward(images);
        var logits = head.Forward(features);
        new CrossEntropyLoss().Forward(logits, [3, 1, 4, 1]).Backward();

        Assert.Equal([4, 16, 7, 7], features.Shape);
        Assert.Equal([4, 10], logits.Shape);
        var parameters = convolutions.NamedParameters().Concat(dense.NamedParameters()).ToArray();
        Assert.Equal(
            ["0.weight 8x1x3x3", "0.bias 8", "3.weight 16x8x3x3", "3.bias 16", "weight 10x784", "bias 10"],
            parameters.Select(p => $"{p.Name} {string.Join("x", p.Parameter.Shape)}"));
        Assert.All(parameters, p =>
        {
            Assert.Equal(p.Parameter.Shape, p.Parameter.Grad!.Shape);
            Assert.Contains(p.Parameter.Grad.ToDoubleArray(), g => g != 0);
            Assert.All(p.Parameter.Grad.ToDoubleArray(), g => Assert.True(double.IsFinite(g)));
        });
    }
}
