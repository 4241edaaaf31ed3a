using Backprop.NN;
using Backprop.Tests.IO;

namespace Backprop.Tests.NN;

/// <summary>LayerChain fuses the pairs a layer declares (IFusable) with the bits of the layers run one by one, for Sequential and any container.</summary>
public sealed class LayerChainTests
{
    public static TheoryData<string, DType> Chains => new()
    {
        { "dense", DType.Float32 }, { "dense", DType.Float64 }, { "cnn", DType.Float32 }, { "cnn", DType.Float64 },
    };

    /// <summary>Chains with every fused pair, and layers that fuse with nothing in between.</summary>
    private static (Module[] Layers, Tensor Input) Build(string name, DType dtype)
    {
        Module[] layers = name == "dense"
            ? [new Dense(5, 7, seed: 1), new ReLU(), new Dense(7, 6, seed: 2), new Sigmoid(), new Dense(6, 6, seed: 3), new Tanh(), new Dense(6, 3, seed: 4), new ELU()]
            : [new Conv2d(2, 3, 3, padding: 1, seed: 1), new ReLU(), new MaxPool2d(2), new ReLU(), new Flatten(), new Dense(48, 4, seed: 2), new ReLU()];
        foreach (var layer in layers) layer.To(dtype);
        var input = name == "dense" ? Tensor.RandomNormal([9, 5], seed: 5, dtype: dtype) : Tensor.RandomNormal([2, 2, 8, 8], seed: 5, dtype: dtype);
        return (layers, input);
    }

    [Theory]
    [MemberData(nameof(Chains))]
    public void Forward_OfAChain_GivesTheBitsAndGradientsOfTheLayersRunOneByOne_InSequentialAndInAUsersContainer(string name, DType dtype)
    {
        var (layers, input) = Build(name, dtype);
        var (expected, expectedGradients) = OutputAndGradients(layers, input, x => layers.Aggregate(x, (value, layer) => layer.Forward(value)));

        foreach (var container in new Module[] { new Sequential(layers), new Chain(layers) })
        {
            var (output, gradients) = OutputAndGradients(layers, input, container.Forward);
            Assert.Equal(ModelFilesTests.Bits(expected), ModelFilesTests.Bits(output));
            Assert.Equal(expectedGradients, gradients);
        }
    }

    [Fact]
    public void Forward_FusesDenseWithTheActivationAfterIt_AndReLUWithTheMaxPoolAfterIt_InAUsersContainer()
    {
        var dense = new Chain([new Dense(3, 2, seed: 1), new Tanh()]).Forward(Tensor.RandomNormal([4, 3], seed: 2));
        Assert.Equal("Linear+Tanh", dense.GradFn!.Operation);
        var pooled = new Chain([new ReLU(), new MaxPool2d(2)]).Forward(Tensor.RandomNormal([1, 1, 4, 4], seed: 3).RequireGrad());
        Assert.Equal("ReluMaxPool2d", pooled.GradFn!.Operation);
        var unfused = new Chain([new Tanh(), new Dense(3, 2, seed: 1)]).Forward(Tensor.RandomNormal([4, 3], seed: 2));
        Assert.Equal("Linear", unfused.GradFn!.Operation);
    }

    /// <summary>The output, and the gradients of Σ output ∘ r (r fixed) for every parameter and the input, as bits.</summary>
    private static (Tensor Output, long[][] Gradients) OutputAndGradients(Module[] layers, Tensor input, Func<Tensor, Tensor> forward)
    {
        var parameters = layers.SelectMany(layer => layer.Parameters()).ToList();
        foreach (var parameter in parameters) parameter.Grad = null;
        var x = input.Detach().RequireGrad();
        var output = forward(x);
        (output * Tensor.RandomNormal(output.Shape, seed: 9, dtype: output.DType)).Sum().Backward();
        return (output, [.. parameters.Append(x).Select(tensor => ModelFilesTests.Bits(tensor.Grad!))]);
    }

    /// <summary>A container of a user's own that gets Sequential's fusion through the public call.</summary>
    private sealed class Chain : Module
    {
        private readonly Module[] _layers;

        public Chain(Module[] layers)
        {
            _layers = layers;
            for (int i = 0; i < layers.Length; i++) RegisterModule($"block{i}", layers[i]);
        }

        public override Tensor Forward(Tensor input) => LayerChain.Forward(_layers, input);
    }
}
