using Backprop.Autograd;
using Backprop.Losses;
using Backprop.NN;

namespace Backprop.Tests.Ops;

public sealed class FusedOpTests
{
    [Theory]
    [InlineData("Relu")]
    [InlineData("Sigmoid")]
    [InlineData("Tanh")]
    public void LinearWithActivation_MatchesFiniteDifferences(string name)
    {
        var activation = Enum.Parse<DenseActivation>(name);
        var x = Tensor.RandomNormal([5, 7], seed: 1, dtype: DType.Float64);
        var w = Tensor.RandomNormal([3, 7], seed: 2, dtype: DType.Float64);
        var b = Tensor.RandomNormal([3], seed: 3, dtype: DType.Float64);
        var result = GradCheck.Run(inputs => Tensor.Linear(inputs[0], inputs[1], inputs[2], activation), x, w, b);
        Assert.True(result.Passed(1e-6), result.WorstElement);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(9)]
    [InlineData(128)]
    [InlineData(1001)]
    public void BiasGradient_IsTheRowsOfTheOutputGradientAdded_InOrder_BitForBit(int outputs)
    {
        // Widths under a vector, around one, and past four 512-bit vectors: every path of the row additions.
        const int Batch = 6;
        var x = Tensor.RandomNormal([Batch, 3], seed: 1);
        var w = Tensor.RandomNormal([outputs, 3], seed: 2);
        var b = Tensor.Zeros(outputs).RequireGrad();
        var g = Tensor.RandomNormal([Batch, outputs], seed: 3);
        Tensor.Linear(x, w, b).Backward(g);

        float[] rows = g.ToFloatArray();
        float[] expected = new float[outputs];
        for (int row = 0; row < Batch; row++)
        {
            for (int j = 0; j < outputs; j++) expected[j] += rows[(row * outputs) + j];
        }

        Assert.Equal(expected, b.Grad!.ToFloatArray());
    }

    [Theory]
    [InlineData(1, 1, 1)]
    [InlineData(3, 5, 2)]
    [InlineData(17, 31, 13)]
    [InlineData(64, 100, 37)]
    public void Sequential_FusingDenseAndActivation_IsBitIdenticalToTheSeparateOps(int batch, int inputs, int outputs)
    {
        foreach (var (module, apply) in new (Module, Func<Tensor, Tensor>)[] { (new ReLU(), t => t.Relu()), (new Sigmoid(), t => t.Sigmoid()), (new Tanh(), t => t.Tanh()) })
        {
            foreach (var dtype in new[] { DType.Float32, DType.Float64 })
            {
                var dense = new Dense(inputs, outputs, seed: 5);
                dense.To(dtype);
                var x = Tensor.RandomNormal([batch, inputs], seed: 6, dtype: dtype).RequireGrad();
                var projection = Tensor.RandomNormal([batch, outputs], seed: 7, dtype: dtype);

                var fused = new Sequential(dense, module).Forward(x);
                (fused * projection).Sum().Backward();
                var fusedGrads = new[] { x.Grad!.ToDoubleArray(), dense.Weight.Grad!.ToDoubleArray(), dense.Bias!.Grad!.ToDoubleArray() };

                x.Grad = null; dense.Weight.Grad = null; dense.Bias.Grad = null;
                var separate = apply(Tensor.Linear(x, dense.Weight, dense.Bias));
                (separate * projection).Sum().Backward();

                Assert.Equal(separate.ToDoubleArray(), fused.ToDoubleArray());
                Assert.Equal(x.Grad!.ToDoubleArray(), fusedGrads[0]);
                Assert.Equal(dense.Weight.Grad!.ToDoubleArray(), fusedGrads[1]);
                Assert.Equal(dense.Bias.Grad!.ToDoubleArray(), fusedGrads[2]);
            }
        }
    }

    [Theory]
    [InlineData(Reduction.Mean)]
    [InlineData(Reduction.Sum)]
    [InlineData(Reduction.None)]
    public void CrossEntropyOnClassIndices_MatchesFiniteDifferences(Reduction reduction)
    {
        var logits = Tensor.RandomNormal([6, 5], seed: 4, std: 3, dtype: DType.Float64);
        int[] classes = [0, 4, 2, 2, 1, 3];
        var result = GradCheck.Run(inputs => new CrossEntropyLoss(reduction).Forward(inputs[0], classes), logits);
        Assert.True(result.Passed(1e-6), result.WorstElement);
    }

    [Theory]
    [InlineData(Reduction.Mean, DType.Float32)]
    [InlineData(Reduction.Sum, DType.Float64)]
    [InlineData(Reduction.None, DType.Float32)]
    public void CrossEntropyOnClassIndices_AgreesWithTheOneHotTarget(Reduction reduction, DType dtype)
    {
        // Rows of 1, 2, 7 and 11 classes, with logits of ±500 that would overflow a naive softmax.
        foreach (int width in new[] { 1, 2, 7, 11 })
        {
            var logits = (Tensor.RandomNormal([9, width], seed: width, dtype: dtype) * 200).Detach().RequireGrad();
            int[] classes = Enumerable.Range(0, 9).Select(i => (i * 5) % width).ToArray();
            var oneHot = Tensor.Zeros(dtype, 9, width);
            var target = oneHot.ToDoubleArray();
            for (int i = 0; i < 9; i++) target[i * width + classes[i]] = 1;
            var targets = Tensor.FromArray(target, 9, width).ToDType(dtype);
            var loss = new CrossEntropyLoss(reduction);

            var fromIndices = loss.Forward(logits, classes);
            fromIndices.Sum().Backward();
            var gradient = logits.Grad!.ToDoubleArray();
            logits.Grad = null;
            var fromOneHot = loss.Forward(logits, targets);
            fromOneHot.Sum().Backward();

            double tolerance = dtype == DType.Float32 ? 1e-3 : 1e-9;
            Assert.Equal(fromOneHot.ToDoubleArray(), fromIndices.ToDoubleArray(), new Backprop.Tests.WorkedExamples.Tolerance(tolerance));
            Assert.Equal(logits.Grad!.ToDoubleArray(), gradient, new Backprop.Tests.WorkedExamples.Tolerance(tolerance * 1e-2));
        }
    }
}
